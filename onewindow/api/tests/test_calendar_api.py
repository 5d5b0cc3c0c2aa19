"""The public calendar API: due dates, working-day counts, the years' schedules."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from onewindow.calendar.services import calendar_set_year

pytestmark = pytest.mark.django_db

BASE = "/api/v1/calendar"


@pytest.mark.parametrize(
    ("start", "days", "due", "confirmed"),
    [
        ("2026-09-30", 5, "2026-10-13", True),  # domain.md's example, through the adjusted Saturday 10-10
        ("2026-02-13", 2, "2026-02-24", True),  # Spring Festival 2026: 02-14 (adjusted), then 02-24
        ("2025-12-31", 1, "2026-01-04", True),  # across the year boundary onto an adjusted Sunday
        # 2027 has no confirmed schedule: Monday–Friday minus the statutory days (元旦 Friday 01-01)
        ("2026-12-31", 1, "2027-01-04", False),
        ("2026-10-01", 0, "2026-10-01", True),  # days=0 → the start day
    ],
)
def test_due_date(client, start, days, due, confirmed):
    response = client.get(f"{BASE}/due-date", {"start": start, "days": days})
    assert response.status_code == 200, response.content
    assert response.json() == {"due_date": due, "confirmed": confirmed}
    # and counting back gives the same number of days
    back = client.get(f"{BASE}/working-days", {"start": start, "end": due})
    assert back.json() == {"working_days": days, "confirmed": confirmed}


def test_working_days(client):
    response = client.get(f"{BASE}/working-days", {"start": "2026-09-30", "end": "2026-10-07"})
    assert response.json() == {"working_days": 0, "confirmed": True}
    response = client.get(f"{BASE}/working-days", {"start": "2026-12-30", "end": "2027-01-04"})
    assert response.json() == {"working_days": 2, "confirmed": False}


def test_no_authentication_needed(client):
    response = client.get(f"{BASE}/due-date", {"start": "2026-09-30", "days": 5})
    assert response.status_code == 200
    assert client.get(f"{BASE}/years").status_code == 200


def test_an_edit_shows_at_once(client):
    # unconfirmed: the rule's Spring Festival 02-05..02-08 is rest
    assert client.get(f"{BASE}/due-date", {"start": "2027-02-05", "days": 1}).json() == {
        "due_date": "2027-02-09",
        "confirmed": False,
    }
    calendar_set_year(
        year=2027,
        holidays=[(dt.date(2027, 2, 8), "春节"), (dt.date(2027, 2, 9), "春节")],
        adjusted_workdays=[],
        confirmed=True,
    )
    # the confirmed schedule replaces the rule: only its own days count
    assert client.get(f"{BASE}/due-date", {"start": "2027-02-05", "days": 1}).json() == {
        "due_date": "2027-02-10",
        "confirmed": True,
    }


def test_years(client):
    with time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC), tick=False):
        response = client.get(f"{BASE}/years")
    assert response.status_code == 200
    years = response.json()
    assert [y["year"] for y in years] == list(range(2004, 2028))  # the stored years and next year
    y2026 = next(y for y in years if y["year"] == 2026)
    assert y2026["confirmed"] is True
    assert {"date": "2026-02-17", "name": "春节"} in y2026["holidays"]
    assert {"date": "2026-10-10", "name": "国庆节"} in y2026["adjusted_workdays"]
    assert y2026["provisional_holidays"] == []
    y2027 = years[-1]
    assert {key: value for key, value in y2027.items() if key != "provisional_holidays"} == {
        "year": 2027,
        "confirmed": False,
        "source": "",
        "holidays": [],
        "adjusted_workdays": [],
    }
    assert [day["date"] for day in y2027["provisional_holidays"]] == [
        "2027-01-01",
        "2027-02-05",
        "2027-02-06",
        "2027-02-07",
        "2027-02-08",
        "2027-04-05",
        "2027-05-01",
        "2027-05-02",
        "2027-06-09",
        "2027-09-15",
        "2027-10-01",
        "2027-10-02",
        "2027-10-03",
    ]
    assert {"date": "2027-06-09", "name": "端午"} in y2027["provisional_holidays"]

    response = client.get(f"{BASE}/years", {"first": 2025, "last": 2026})
    assert [(y["year"], y["confirmed"]) for y in response.json()] == [(2025, True), (2026, True)]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("due-date", {"days": 5}, "start"),  # missing start
        ("due-date", {"start": "2026-09-30"}, "days"),  # missing days
        ("due-date", {"start": "2026-13-01", "days": 5}, "start"),  # no month 13
        ("due-date", {"start": "2026-02-30", "days": 5}, "start"),  # no 30 February
        ("due-date", {"start": "2026/09/30", "days": 5}, "start"),  # wrong separators
        ("due-date", {"start": "1759190400", "days": 5}, "start"),  # a Unix timestamp is not a date
        ("due-date", {"start": "", "days": 5}, "start"),  # empty
        ("due-date", {"start": "2026-09-30", "days": "five"}, "days"),  # not a number
        ("due-date", {"start": "2026-09-30", "days": "1.5"}, "days"),  # not a whole number
        ("due-date", {"start": "2026-09-30", "days": -1}, "days"),  # negative
        ("due-date", {"start": "2026-09-30", "days": 2001}, "days"),  # huge
        ("due-date", {"start": "2026-09-30", "days": 10**30}, "days"),  # absurd
        ("due-date", {"start": "1999-12-31", "days": 5}, "start"),  # before 2000
        ("due-date", {"start": "2101-01-01", "days": 5}, "start"),  # after 2100
        ("due-date", {"start": "2100-12-01", "days": 100}, "days"),  # the due date would be after 2100
        ("working-days", {"start": "2026-09-30"}, "end"),  # missing end
        ("working-days", {"end": "2026-09-30"}, "start"),  # missing start
        ("working-days", {"start": "2026-10-13", "end": "2026-09-30"}, "end"),  # end before start
        ("working-days", {"start": "2026-09-30", "end": "2026-9-31"}, "end"),  # malformed end
        ("working-days", {"start": "1999-01-01", "end": "2026-09-30"}, "start"),  # before 2000
        ("working-days", {"start": "2026-09-30", "end": "2101-01-01"}, "end"),  # after 2100
        ("years", {"first": 1999}, "first"),
        ("years", {"first": 2026, "last": 2101}, "last"),
        ("years", {"first": 2026, "last": 2025}, "last"),  # last before first
        ("years", {"first": 2000, "last": 2100}, "last"),  # too many at once
        ("years", {"first": "abc"}, "first"),
    ],
)
def test_bad_parameters_are_422_with_a_clear_message(client, path, params, field):
    response = client.get(f"{BASE}/{path}", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_failed"
    assert field in body["message"], body
    assert body["details"]
    assert field in str(body["details"])
