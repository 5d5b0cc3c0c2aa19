"""The voice: an announcement's text as the ordered clips the screens play, and the clips shipped."""

from __future__ import annotations

import wave

import pytest

from onewindow.hall import voice
from onewindow.hall.board import CALL_TEXT, PAUSE_TEXT, WELCOME_TEXT


@pytest.mark.parametrize(
    ("text", "clips"),
    [
        (
            CALL_TEXT.format(number="A001", window="Z01"),
            ["chime", "qing", "A", "d0", "d0", "d1", "hao", "dao", "Z", "d0", "d1", "haochuangkou"],
        ),
        (
            CALL_TEXT.format(number="VB012", window="A03"),
            ["chime", "qing", "V", "B", "d0", "d1", "d2", "hao", "dao", "A", "d0", "d3", "haochuangkou"],
        ),
        (
            "请 YA1000 号，到 12 号窗口",
            ["chime", "qing", "Y", "A", "d1", "d0", "d0", "d0", "hao", "dao", "d1", "d2", "haochuangkou"],
        ),
        (PAUSE_TEXT.format(window="Z02"), ["chime", "Z", "d0", "d2", "haochuangkou", "zantingfuwu"]),
        (WELCOME_TEXT, ["huanyingnin"]),
        ("下班了", []),
        ("", []),
    ],
)
def test_clips_for_text(text: str, clips: list[str]) -> None:
    assert voice.clips_for_text(text) == clips


def test_every_clip_is_shipped_small_and_mono() -> None:
    total = 0
    for name in voice.CLIP_NAMES:
        path = voice.CLIP_DIR / f"{name}.wav"
        assert path.exists(), f"{name}.wav is missing: run manage.py hall_voice_clips"
        with wave.open(str(path)) as clip:
            assert clip.getnchannels() == 1 and clip.getframerate() <= 16000
            assert 0.1 < clip.getnframes() / clip.getframerate() < 2.5
        total += path.stat().st_size
    assert total < 1_500_000


def test_every_word_of_an_announcement_has_a_clip() -> None:
    for code in ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"):
        assert set(voice.spell(code)) <= set(voice.CLIP_NAMES)
