"""Case numbers: format, check character, parsing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from onewindow.cases.numbers import (
    format_number,
    next_sequence,
    parse_case_number,
    take,
)
from onewindow.core.checksum import ALPHABET
from onewindow.core.errors import ValidationFailed

NUMBER = format_number("DEMO", dt.date(2026, 9, 30), 1)


def test_format() -> None:
    assert NUMBER[:-1] == "DEMO20260930000001"
    assert len(NUMBER) == 19
    receipt = format_number("DEMO", dt.date(2026, 9, 30), 42, receipt=True)
    assert receipt.startswith("RDEMO20260930000042")
    assert parse_case_number(receipt) == receipt


def test_parse_normalises_case_and_spaces() -> None:
    spaced = " " + NUMBER[:4].lower() + " " + NUMBER[4:12] + "-" + NUMBER[12:] + " "
    assert parse_case_number(spaced) == NUMBER


def test_every_single_wrong_character_is_caught() -> None:
    for i, original in enumerate(NUMBER):
        for replacement in ALPHABET:
            if replacement == original:
                continue
            typo = NUMBER[:i] + replacement + NUMBER[i + 1 :]
            with pytest.raises(ValidationFailed):
                parse_case_number(typo)


def test_every_swap_of_two_adjacent_characters_is_caught() -> None:
    swaps = 0
    for i in range(len(NUMBER) - 1):
        if NUMBER[i] == NUMBER[i + 1]:
            continue
        swapped = NUMBER[:i] + NUMBER[i + 1] + NUMBER[i] + NUMBER[i + 2 :]
        swaps += 1
        with pytest.raises(ValidationFailed):
            parse_case_number(swapped)
    assert swaps > 5


@pytest.mark.parametrize(
    "text", ["", "DEMO", "DEMO2026093000000", "DEMO20261340000001X", "DEMO2026-09-30-1", "案件123"]
)
def test_malformed_numbers_are_rejected(text: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_case_number(text)
    assert exc.value.code == "bad_case_number"


@pytest.mark.django_db
def test_sequences_are_per_center_kind_and_day(org: Any) -> None:
    day = dt.date(2026, 9, 30)
    assert [next_sequence(center_id=org.center.pk, kind="case", day=day) for _ in range(3)] == [1, 2, 3]
    assert next_sequence(center_id=org.center.pk, kind="receipt", day=day) == 1
    assert next_sequence(center_id=org.center.pk, kind="case", day=day + dt.timedelta(days=1)) == 1


@pytest.mark.django_db
def test_take_gives_each_wanted_kind_its_next_number(org: Any) -> None:
    day = dt.date(2026, 9, 30)
    code = org.center.code
    next_sequence(center_id=org.center.pk, kind="case", day=day)
    taken = take(center_id=org.center.pk, center_code=code, wanted={"receipt": day, "case": day})
    assert taken == {
        "receipt": format_number(code, day, 1, receipt=True),
        "case": format_number(code, day, 2),
    }
    assert take(center_id=org.center.pk, center_code=code, wanted={"case": day}) == {
        "case": format_number(code, day, 3)
    }


@pytest.mark.django_db
def test_take_starts_a_new_day_for_one_kind_while_the_other_goes_on(org: Any) -> None:
    """The receipt row of the day exists, the case row not yet: the existing one is incremented
    (on PostgreSQL in the combined statement) and the missing one created."""
    day = dt.date(2026, 10, 1)
    code = org.center.code
    take(center_id=org.center.pk, center_code=code, wanted={"receipt": day})
    taken = take(center_id=org.center.pk, center_code=code, wanted={"receipt": day, "case": day})
    assert taken == {
        "receipt": format_number(code, day, 2, receipt=True),
        "case": format_number(code, day, 1),
    }


@pytest.mark.django_db
def test_take_refuses_a_sequence_past_the_days_last_number(org: Any) -> None:
    from onewindow.cases.models import CaseNumberSequence

    day = dt.date(2026, 10, 3)
    CaseNumberSequence.objects.create(center=org.center, kind="case", day=day, last=10**6 - 1)
    with pytest.raises(ValidationFailed) as caught, transaction.atomic():
        take(center_id=org.center.pk, center_code=org.center.code, wanted={"case": day})
    assert caught.value.code == "sequence_exhausted"
