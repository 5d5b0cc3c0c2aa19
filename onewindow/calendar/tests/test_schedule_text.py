"""The pasted schedule format: parse_schedule_text and format_schedule_text."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.calendar import package
from onewindow.calendar.schedule_text import format_schedule_text
from onewindow.calendar.services import parse_schedule_text
from onewindow.core.errors import ValidationFailed

D = dt.date

pytestmark = pytest.mark.usefixtures("english")

GOOD = """
# 国务院办公厅关于2027年部分节假日安排的通知 (made up for the test)
放假:
2027-01-01 元旦
2027-02-06..2027-02-13 春节

调休上班：
2027-02-20 春节
Holidays:
2027-10-01..2027-10-03\t国庆节
2027-05-03
ADJUSTED:
2027-10-09   国庆 节
"""


def test_good_input():
    holidays, adjusted = parse_schedule_text(GOOD, 2027)
    spring = [(D(2027, 2, 6) + dt.timedelta(days=i), "春节") for i in range(8)]
    national = [(D(2027, 10, i), "国庆节") for i in (1, 2, 3)]
    assert holidays == sorted([(D(2027, 1, 1), "元旦"), *spring, (D(2027, 5, 3), ""), *national])
    assert adjusted == [(D(2027, 2, 20), "春节"), (D(2027, 10, 9), "国庆 节")]


def test_empty_text_is_an_empty_schedule():
    assert parse_schedule_text("", 2027) == ([], [])
    assert parse_schedule_text("放假:\n\n调休上班:\n", 2027) == ([], [])


def test_format_reads_back_to_the_same_schedule():
    for known in package.years():
        text = format_schedule_text(known.holidays, known.adjusted_workdays)
        assert parse_schedule_text(text, known.year) == (known.holidays, known.adjusted_workdays)
    y2026 = next(y for y in package.years() if y.year == 2026)
    text = format_schedule_text(y2026.holidays, y2026.adjusted_workdays)
    assert "2026-10-01..2026-10-07 国庆节" in text.splitlines()


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("2027-01-01 元旦", 1, "before a heading"),
        ("节日:\n2027-01-01 元旦", 1, "unknown heading"),
        ("放假:\n2027-13-01 元旦", 2, "2027-13-01"),  # no month 13
        ("放假:\n2027-02-30", 2, "2027-02-30"),  # no 30 February
        ("放假:\n2027/10/01 国庆节", 2, "2027/10/01"),  # wrong separators
        ("放假:\n2027-1-1 元旦", 2, "2027-1-1"),  # not zero-padded
        ("放假:\n2027-10-01..2027-10-0x 国庆节", 2, "2027-10-0x"),  # bad range end
        ("放假:\n2027-10-07..2027-10-01 国庆节", 2, "before it starts"),
        ("放假:\n2027-01-01..2027-03-01 冬假", 2, "31"),  # a range longer than a month
        ("放假:\n2026-12-31 元旦", 2, "2026-12-31"),  # outside the year
        ("放假:\n2027-12-31..2028-01-01 元旦", 2, "2028-01-01"),  # a range leaving the year
        ("放假:\n2027-01-01 " + "元" * 51, 2, "50"),  # name too long
        ("放假:\n2027-10-01..2027-10-03 国庆节\n调休上班:\n2027-10-02 国庆节", 4, "line 2"),  # listed twice
    ],
)
def test_each_error_names_the_line(text, line, fragment):
    with pytest.raises(ValidationFailed) as excinfo:
        parse_schedule_text(text, 2027)
    problems = excinfo.value.details["text"]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"Line {line}:"), problems[0]
    assert fragment.lower() in problems[0].lower()


def test_all_errors_are_reported_at_once():
    text = "放假:\n2027-13-01\n2027-02-06\n调休上班:\n2026-01-01\n"
    with pytest.raises(ValidationFailed) as excinfo:
        parse_schedule_text(text, 2027)
    assert len(excinfo.value.details["text"]) == 2
    assert excinfo.value.message.startswith("The schedule text has 2 error(s): Line 2:")
