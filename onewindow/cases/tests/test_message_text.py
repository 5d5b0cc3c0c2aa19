"""The applicant's messages as written by case actions (issue 11 §1.7): the refusal has one full
stop, due dates are in Chinese form, and a due date in a year without a confirmed holiday schedule
says it may change."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.calendar import selectors as calendar_selectors
from onewindow.calendar.models import CalendarYear
from onewindow.cases.tests.conftest import at, intake, item
from onewindow.notifications.defaults import TENTATIVE_DATE_NOTE
from onewindow.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def body(case: Any, code: str) -> str:
    return OutboxMessage.objects.get(related_id=str(case.pk), template_code=code).body


def test_the_refusal_message_has_no_doubled_full_stop(cx: Any) -> None:
    version = item(cx)
    with at("2026-09-30 10:00"):
        case = intake(cx, version, action="refuse", note="不属于本中心受理范围。")
    text = body(case, "case_refused")
    assert "理由：不属于本中心受理范围。如不服" in text
    for pair in ("。。", "，。", ".。"):
        assert pair not in text


def test_the_acceptance_message_gives_the_due_date_in_chinese(cx: Any) -> None:
    version = item(cx)
    with at("2026-09-30 10:00"):
        case = intake(cx, version)
    text = body(case, "case_accepted")
    assert "承诺于2026年10月" in text and TENTATIVE_DATE_NOTE not in text


def test_a_due_date_in_an_unconfirmed_year_says_it_may_change(cx: Any) -> None:
    CalendarYear.objects.filter(year=2027).update(confirmed=False)
    calendar_selectors.invalidate()
    assert not calendar_selectors.table().is_confirmed(2027)
    version = item(cx)
    with at("2026-12-28 10:00"):
        case = intake(cx, version)
    text = body(case, "case_accepted")
    assert "承诺于2027年1月" in text and text.endswith(TENTATIVE_DATE_NOTE)
