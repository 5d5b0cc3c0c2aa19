"""calendar_set_year: validation, atomic replacement, audit entry, cache invalidation."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.calendar import selectors
from onewindow.calendar.models import CalendarDay, CalendarYear
from onewindow.calendar.services import calendar_set_year
from onewindow.core.errors import ValidationFailed
from onewindow.core.models import AuditEntry

D = dt.date

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# 2027 (not in the package): 2027-02-06 is a Saturday, 2027-02-07 a Sunday, 2027-02-08 a Monday.
SPRING_2027 = [(D(2027, 2, 6) + dt.timedelta(days=i), "春节") for i in range(8)]  # 02-06..02-13


def test_set_year_replaces_the_days_and_audits(org):
    admin = org.user("centeradmin")
    row = calendar_set_year(
        year=2027,
        holidays=SPRING_2027,
        adjusted_workdays=[(D(2027, 2, 20), "春节")],
        confirmed=True,
        source="国办发明电〔2026〕X号",
        actor=admin,
    )
    assert isinstance(row, CalendarYear)
    assert (row.year, row.confirmed, row.source, row.updated_by) == (
        2027,
        True,
        "国办发明电〔2026〕X号",
        admin,
    )
    assert CalendarDay.objects.filter(year=2027).count() == 9

    entry = AuditEntry.objects.get(action="calendar_year.set", object_id="2027")
    assert entry.actor == admin
    assert entry.before == {"confirmed": False, "source": "", "holidays": [], "adjusted_workdays": []}
    assert entry.after["confirmed"] is True
    assert entry.after["holidays"][0] == ["2027-02-06", "春节"]
    assert entry.after["adjusted_workdays"] == [["2027-02-20", "春节"]]

    # Replace again: the old days go, the audit entry shows both states.
    calendar_set_year(year=2027, holidays=[(D(2027, 1, 1), "元旦")], adjusted_workdays=[], confirmed=False)
    assert list(CalendarDay.objects.filter(year=2027).values_list("date", "kind", "name")) == [
        (D(2027, 1, 1), "holiday", "元旦")
    ]
    second = AuditEntry.objects.filter(action="calendar_year.set", object_id="2027").order_by("-id").first()
    assert second.before["confirmed"] is True and len(second.before["holidays"]) == 8
    assert second.after == {
        "confirmed": False,
        "source": "",
        "holidays": [["2027-01-01", "元旦"]],
        "adjusted_workdays": [],
    }
    assert second.actor is None and second.actor_name == "system"


def test_the_next_due_date_reflects_an_edit(django_capture_on_commit_callbacks):
    # 2027 unconfirmed: Friday 02-05 + 1 → the rule's Spring Festival 02-05..02-08 → Tuesday 02-09.
    before = selectors.due_date(D(2027, 2, 5), 1)
    assert (before.value, before.confirmed) == (D(2027, 2, 9), False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        calendar_set_year(
            year=2027, holidays=SPRING_2027, adjusted_workdays=[(D(2027, 2, 20), "春节")], confirmed=True
        )
    assert len(callbacks) == 1  # the table is forgotten again after commit
    after = selectors.due_date(D(2027, 2, 5), 1)
    # The holiday week is skipped; Saturday 02-20 is not reached before Monday 02-15.
    assert (after.value, after.confirmed) == (D(2027, 2, 15), True)
    assert selectors.is_working_day(D(2027, 2, 20)) is True
    assert selectors.year_status(2027, 2027) == [{"year": 2027, "confirmed": True}]


def test_editing_a_pre_filled_year(org):
    # National Day 2026 shortened to three days (made up): Monday 10-05 becomes a working day.
    (y2026,) = selectors.year_schedules(2026, 2026)
    holidays = [(d, n) for d, n in y2026["holidays"] if not (d.month == 10 and d.day > 3)]
    adjusted = [(d, n) for d, n in y2026["adjusted_workdays"] if d != D(2026, 10, 10)]
    assert selectors.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    calendar_set_year(
        year=2026,
        holidays=holidays,
        adjusted_workdays=adjusted,
        confirmed=True,
        actor=org.user("centeradmin"),
    )
    assert selectors.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 5)


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"holidays": [(D(2026, 12, 31), "元旦")]}, "holidays", "2026-12-31"),  # outside the year
        ({"adjusted_workdays": [(D(2028, 1, 2), "元旦")]}, "adjusted_workdays", "2028-01-02"),
        ({"adjusted_workdays": [(D(2027, 2, 10), "春节")]}, "adjusted_workdays", "2027-02-10"),  # a Wednesday
        ({"holidays": [(D(2027, 2, 8), "春节"), (D(2027, 2, 8), "春节")]}, "holidays", "2027-02-08"),  # twice
        (
            {"holidays": [(D(2027, 2, 6), "春节")], "adjusted_workdays": [(D(2027, 2, 6), "春节")]},
            "adjusted_workdays",
            "2027-02-06",
        ),  # in both lists
        ({"holidays": [(D(2027, 2, 8), "春" * 51)]}, "holidays", "2027-02-08"),  # name too long
        ({"source": "x" * 201}, "source", "200"),
    ],
)
def test_validation_names_the_date_and_writes_nothing(kwargs, field, fragment):
    arguments = {"year": 2027, "holidays": [], "adjusted_workdays": [], "confirmed": True, **kwargs}
    audit_count = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as excinfo:
        calendar_set_year(**arguments)
    error = excinfo.value
    assert error.code == "validation_failed"
    assert list(error.details) == [field]
    assert fragment in error.details[field][0]
    assert fragment in error.message
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert AuditEntry.objects.count() == audit_count


def test_invalid_edit_leaves_the_stored_year_alone():
    before = list(CalendarDay.objects.filter(year=2026).values_list("date", "kind", "name"))
    with pytest.raises(ValidationFailed):
        calendar_set_year(year=2026, holidays=[], adjusted_workdays=[(D(2026, 3, 4), "")], confirmed=True)
    assert list(CalendarDay.objects.filter(year=2026).values_list("date", "kind", "name")) == before
    assert CalendarYear.objects.get(year=2026).confirmed is True


@pytest.mark.parametrize("year", [1999, 2101])
def test_year_outside_the_range(year):
    with pytest.raises(ValidationFailed) as excinfo:
        calendar_set_year(year=year, holidays=[], adjusted_workdays=[], confirmed=False)
    assert list(excinfo.value.details) == ["year"]


def test_every_problem_is_reported():
    with pytest.raises(ValidationFailed) as excinfo:
        calendar_set_year(
            year=2027,
            holidays=[(D(2026, 1, 1), ""), (D(2027, 2, 8), "")],
            adjusted_workdays=[(D(2027, 2, 8), ""), (D(2027, 2, 9), "")],
            confirmed=True,
        )
    details = excinfo.value.details
    assert len(details["holidays"]) == 1
    assert len(details["adjusted_workdays"]) == 3  # two weekdays, one in both lists


def test_registered_hooks_run_with_the_new_schedule_and_can_undo_it():
    from onewindow.calendar.services import register_year_changed, unregister_year_changed

    seen = []

    def recompute(year):
        # what a cases hook would do: recompute with the schedule as it now is
        seen.append((year.year, selectors.add_working_days(D(2027, 2, 5), 1)))

    register_year_changed(recompute)
    register_year_changed(recompute)  # registering twice calls it once
    try:
        calendar_set_year(year=2027, holidays=SPRING_2027, adjusted_workdays=[], confirmed=True)
    finally:
        unregister_year_changed(recompute)
    assert seen == [(2027, D(2027, 2, 15))]

    def broken(year):
        raise RuntimeError("recomputing failed")

    register_year_changed(broken)
    try:
        with pytest.raises(RuntimeError):
            calendar_set_year(year=2027, holidays=[], adjusted_workdays=[], confirmed=False)
    finally:
        unregister_year_changed(broken)
    # the failed change left nothing behind, and the cached table shows the schedule as it is
    assert CalendarYear.objects.get(year=2027).confirmed is True
    assert CalendarDay.objects.filter(year=2027).count() == 8
    assert selectors.add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 15)
