"""The hall's voice: an announcement ("请A001号，到Z01号窗口") as an ordered list of short clips.

The screens speak offline from clips shipped in `hall/static/hall/voice/` (`<name>.wav`, mono,
11 025 Hz): a chime, the digits spoken one by one (零 一 … 九: "A零零一"), the letters A–Z and
the words 请 号 到 号窗口 暂停服务 欢迎您. `clips_for_text` maps the text of an `Announcement`
(hall.board's CALL_TEXT / PAUSE_TEXT / WELCOME_TEXT) to the clip names the page plays in order.
`generate_clips` (the management command `hall_voice_clips`) records them again with espeak-ng's
Mandarin voice; nothing here runs at request time but `clips_for_text`.
"""

from __future__ import annotations

import array
import math
import re
import subprocess
import tempfile
import wave
from pathlib import Path

CLIP_DIR = Path(__file__).resolve().parent / "static" / "hall" / "voice"
CHIME = "chime"
DIGITS = "零一二三四五六七八九"
# clip name → the words espeak-ng speaks for it
WORDS: dict[str, str] = {
    "qing": "请",
    "hao": "号",
    "dao": "到",
    "haochuangkou": "号窗口",
    "zantingfuwu": "暂停服务",
    "huanyingnin": "欢迎您",
}
WORDS.update({f"d{n}": DIGITS[n] for n in range(10)})
WORDS.update({letter: letter for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
CLIP_NAMES: tuple[str, ...] = (CHIME, *WORDS)

RATE = 11025  # Hz, mono, 16 bit: small enough, clear enough for speech
SOURCE_RATE = 22050  # espeak-ng's output

CALL = re.compile(r"^请\s*(?P<number>[0-9A-Za-z]+)\s*号[，,]?\s*到\s*(?P<window>[0-9A-Za-z]+)\s*号窗口")
PAUSE = re.compile(r"^(?P<window>[0-9A-Za-z]+)\s*号窗口\s*暂停服务")
WELCOME = "欢迎您"


def spell(code: str) -> list[str]:
    """A ticket number or window code, one clip per character: A001 → A d0 d0 d1."""
    out = []
    for char in code.upper():
        if char.isdigit():
            out.append(f"d{char}")
        elif "A" <= char <= "Z":
            out.append(char)
    return out


def clips_for_call(number: str, window: str) -> list[str]:
    return [CHIME, "qing", *spell(number), "hao", "dao", *spell(window), "haochuangkou"]


def clips_for_pause(window: str) -> list[str]:
    return [CHIME, *spell(window), "haochuangkou", "zantingfuwu"]


def clips_for_text(text: str) -> list[str]:
    """The clips of an announcement's text, in order; [] for a text the clips cannot say (the
    browser's speech synthesis may still say it)."""
    text = (text or "").strip()
    if match := CALL.match(text):
        return clips_for_call(match["number"], match["window"])
    if match := PAUSE.match(text):
        return clips_for_pause(match["window"])
    if text.startswith(WELCOME):
        return ["huanyingnin"]
    return []


# --- recording (the management command) -----------------------------------------------------


def _trim_and_halve(samples: array.array[int], threshold: int = 400) -> array.array[int]:
    """Cut the silence before and after the speech (keeping a few ms), then halve the rate
    (22 050 → 11 025 Hz) averaging each pair of samples (a crude low-pass filter)."""
    loud = [i for i, s in enumerate(samples) if abs(s) > threshold]
    if loud:
        pad = SOURCE_RATE // 50  # 20 ms
        samples = samples[max(0, loud[0] - pad) : min(len(samples), loud[-1] + pad)]
    out = array.array("h", ((samples[i] + samples[i + 1]) // 2 for i in range(0, len(samples) - 1, 2)))
    return out


def _write(path: Path, samples: array.array[int]) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())


def chime_samples() -> array.array[int]:
    """A soft two-tone chime (叮咚) before each call: 0.5 s, synthesised, no recording needed."""
    out = array.array("h")
    for freq, length in ((880.0, 0.22), (660.0, 0.3)):
        count = int(RATE * length)
        for i in range(count):
            fade = min(1.0, (count - i) / (RATE * 0.15))
            out.append(int(9000 * fade * math.sin(2 * math.pi * freq * i / RATE)))
    return out


def record(
    words: str, *, espeak: str = "espeak-ng", voice: str = "cmn", speed: int = 150
) -> array.array[int]:
    """The samples of `words` spoken by espeak-ng (trimmed, at RATE)."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "clip.wav"
        subprocess.run(
            [espeak, "-v", voice, "-s", str(speed), "-w", str(raw), words],
            check=True,
            capture_output=True,
        )
        with wave.open(str(raw), "rb") as source:
            if source.getframerate() != SOURCE_RATE or source.getsampwidth() != 2:
                raise RuntimeError(f"espeak-ng wrote {source.getframerate()} Hz, expected {SOURCE_RATE}")
            samples = array.array("h", source.readframes(source.getnframes()))
    return _trim_and_halve(samples)


def generate_clips(dest: Path = CLIP_DIR, *, espeak: str = "espeak-ng", voice: str = "cmn") -> list[Path]:
    """Record every clip into `dest` (espeak-ng must be installed); returns the files written."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name in CLIP_NAMES:
        samples = chime_samples() if name == CHIME else record(WORDS[name], espeak=espeak, voice=voice)
        path = dest / f"{name}.wav"
        _write(path, samples)
        written.append(path)
    return written
