"""The code mappings (table-driven), the CSV exports and the management command, the token."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from onewindow.cases.tests.conftest import at
from onewindow.feedback import codes, exports
from onewindow.feedback.codes import (
    GBT39046_CHANNEL,
    GBT39046_CODE,
    LEVEL_BY_GBT39046,
    LEVEL_BY_NATIONAL,
    NATIONAL_CODE,
    Channel,
    Level,
)
from onewindow.feedback.models import Evaluation
from onewindow.feedback.services import evaluation_submit
from onewindow.feedback.tests.occasion_helpers import delivered_case, occasion_of
from onewindow.feedback.tokens import occasion_id_from, occasion_token

LEVELS = [
    # ours, GB/T 39046 A.8, national upload, 差评, counts as satisfied
    ("very_satisfied", 1, 5, False, True),
    ("satisfied", 2, 4, False, True),
    ("basically_satisfied", 3, 3, False, True),
    ("dissatisfied", 4, 2, True, False),
    ("very_dissatisfied", 5, 1, True, False),
]


@pytest.mark.parametrize(("level", "gbt", "national", "bad", "satisfied"), LEVELS)
def test_level_mappings(level: str, gbt: int, national: int, bad: bool, satisfied: bool) -> None:
    assert GBT39046_CODE[level] == gbt and LEVEL_BY_GBT39046[gbt] == level
    assert NATIONAL_CODE[level] == national and LEVEL_BY_NATIONAL[national] == level
    assert codes.is_bad(level) is bad
    assert (national < exports.NATIONAL_BAD_BELOW) is bad  # the national rule: below 3 is a 差评
    assert (level in codes.SATISFIED_LEVELS) is satisfied


def test_every_level_and_channel_is_mapped() -> None:
    assert [row[0] for row in LEVELS] == list(Level.values)
    assert set(GBT39046_CHANNEL) == set(Channel.values)
    assert sorted(GBT39046_CHANNEL.values()) == [str(n) for n in range(1, 8)]


@pytest.mark.parametrize(
    ("channel", "code", "template"),
    [
        ("pc", "1", "online"),
        ("mobile", "2", "online"),
        ("qr_code", "3", "offline"),
        ("hall_tablet", "4", "offline"),
        ("hall_terminal", "5", "offline"),
        ("phone", "6", "offline"),
        ("sms", "7", "offline"),
    ],
)
def test_channel_mappings(channel: str, code: str, template: str) -> None:
    assert GBT39046_CHANNEL[channel] == code
    assert codes.TEMPLATE_KIND_BY_CHANNEL[channel] == template


@pytest.mark.parametrize("occasion_id", [1, 35, 36, 10**9, 2**62])
def test_tokens_round_trip_and_refuse_tampering(occasion_id: int) -> None:
    token = occasion_token(occasion_id)
    assert occasion_token(occasion_id) == token and len(token) < 40
    assert occasion_id_from(token) == occasion_id
    body, _dot, signature = token.partition(".")
    assert occasion_id_from(f"{body}1.{signature}") is None
    other = "B" if signature[0] == "A" else "A"
    assert occasion_id_from(f"{body}.{other}{signature[1:]}") is None
    assert occasion_id_from(token.upper()) is None
    assert occasion_id_from(f"{body}.") is None


@pytest.mark.django_db
def test_files_in_both_codings(cx: Any, tmp_path: Path) -> None:
    case = delivered_case(cx)
    with at("2026-11-03 09:00"):
        evaluation_submit(
            occasion=occasion_of(case, "accepted"),
            level="very_dissatisfied",
            tags=["attitude", "efficiency"],
            text="=SUM(A1) 身份证110101199003071234",
            channel="qr_code",
        )
        evaluation_submit(occasion=occasion_of(case), level="satisfied", tags=[], text="", channel="sms")
    Evaluation.objects.filter(level="very_dissatisfied").update(
        void_reason="误评", voided_at=case.received_at
    )
    gbt = list(
        csv.reader(
            io.StringIO(
                exports.to_csv(exports.evaluations_to_export(fmt="gbt39046"), "gbt39046").decode("utf-8-sig")
            )
        )
    )
    header = gbt[0]
    assert header == [h for h, _v in exports.COLUMNS["gbt39046"]]
    first = dict(zip(header, gbt[1], strict=True))
    assert first["评价等级"] == "5" and first["评价渠道"] == "3" and first["是否作废"] == "1"
    assert first["评价指标"] == "服务态度；服务效率" and first["服务环节"]
    assert first["评价内容"].startswith("'=SUM") and "110101199003071234" not in first["评价内容"]
    assert first["办件编号"] == case.display_number and first["服务事项"] == "食品经营许可"
    national = list(
        csv.reader(
            io.StringIO(
                exports.to_csv(exports.evaluations_to_export(fmt="national"), "national").decode("utf-8-sig")
            )
        )
    )
    assert len(national) == 2  # the voided one is not uploaded
    row = dict(zip(national[0], national[1], strict=True))
    assert row["满意度"] == "4" and row["是否差评"] == "0" and row["评价渠道"] == "7"
    # the command writes the same file
    out = tmp_path / "national.csv"
    call_command(
        "evaluations_export",
        "--format",
        "national",
        "--from",
        "2026-11-03",
        "--to",
        "2026-11-03",
        "--output",
        str(out),
    )
    assert out.read_bytes() == exports.to_csv(exports.evaluations_to_export(fmt="national"), "national")
    empty = tmp_path / "none.csv"
    call_command("evaluations_export", "--format", "gbt39046", "--from", "2026-11-04", "--output", str(empty))
    assert len(empty.read_text(encoding="utf-8-sig").splitlines()) == 1
