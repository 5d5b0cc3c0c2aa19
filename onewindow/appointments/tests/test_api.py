"""The appointments API: business types, slots, booking with an applicant's or a staff token,
the 409s and 422s as JSON, cancelling, one's bookings, the staff day list and check-in."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from onewindow.appointments.models import Booking, BookingBan
from onewindow.appointments.tests.conftest import Hall, at, ids, local
from onewindow.identity.tokens import applicant_token_issue
from onewindow.org.services import api_token_issue
from tests.applicants import make_person

BASE = "/api/v1/public/appointments"


def _headers(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def applicant_token(hall: Hall) -> str:
    return applicant_token_issue(person=hall.person)[1]


def _book(client: Client, token: str, hall: Hall, **kw: Any) -> Any:
    body = {
        "business": hall.business.pk,
        "date": "2026-11-09",
        "start": "09:00",
        "id_number": ids(1),
        "name": "张三",
        "phone": "13800138000",
    }
    body.update(kw)
    return client.post(BASE, json.dumps(body), content_type="application/json", **_headers(token))


def test_businesses_and_slots(client: Client, hall: Hall) -> None:
    answer = client.get(f"{BASE}/businesses").json()
    assert answer == [
        {
            "id": hall.business.pk,
            "center": hall.org.center.code,
            "center_name": hall.org.center.name,
            "letter": "A",
            "name": "市场监管业务",
            "items": [{"code": "SC100", "name": "食品经营许可"}],
            "windows": ["A01"],
            "preferred_window": "A01",
        }
    ]
    assert client.get(f"{BASE}/businesses?center=NOPE").status_code == 404
    slots = client.get(f"{BASE}/slots?business={hall.business.pk}&date=2026-11-09").json()
    assert len(slots) == 13
    assert slots[0] == {"start": "09:00", "end": "09:30", "capacity": 5, "free": 5, "extra": False}
    assert client.get(f"{BASE}/slots?business=99999&date=2026-11-09").status_code == 404
    assert client.get(f"{BASE}/slots?business=1&date=nope").status_code == 422


def test_book_see_and_cancel_with_an_applicant_token(
    client: Client, hall: Hall, applicant_token: str
) -> None:
    with at("2026-11-06 10:00"):
        answer = _book(client, applicant_token, hall, item="SC100")
        assert answer.status_code == 201, answer.content
        body = answer.json()
        assert body["status"] == "booked" and body["id_number"].startswith("110***")
        assert body["name"] == "张*" and body["item"] == "SC100" and body["start"] == "09:00"
        again = _book(client, applicant_token, hall, start="10:00")
        assert again.status_code == 409 and again.json()["code"] == "duplicate_booking"
        mine = client.get(f"{BASE}/mine", **_headers(applicant_token)).json()
        assert [b["code"] for b in mine] == [body["code"]]
        other = applicant_token_issue(person=make_person(phone="13900139000", id_number=ids(9)))[1]
        assert client.delete(f"{BASE}/{body['code']}", **_headers(other)).status_code == 404
        cancelled = client.delete(f"{BASE}/{body['code']}", **_headers(applicant_token))
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.get(f"{BASE}/mine").status_code == 401


@pytest.mark.parametrize(
    ("changes", "status", "code", "field"),
    [
        ({"date": "2026-11-16"}, 422, "outside_booking_window", "date"),
        ({"id_number": "110101199003071230"}, 422, "validation_failed", "id_number"),
        ({"start": "25:00"}, 422, "validation_failed", "start"),
        ({"start": "12:00"}, 422, "validation_failed", "start"),
        ({"item": "NOPE"}, 422, "validation_failed", "item"),
        ({"business": 99999}, 404, "not_found", None),
    ],
)
def test_bad_bookings_are_json_errors(
    client: Client,
    hall: Hall,
    applicant_token: str,
    changes: dict[str, Any],
    status: int,
    code: str,
    field: str,
) -> None:
    with at("2026-11-06 10:00"):
        answer = _book(client, applicant_token, hall, **changes)
    assert answer.status_code == status
    body = answer.json()
    assert body["code"] == code and body["message"]
    if field:
        assert field in body["details"]


def test_full_banned_and_too_late(client: Client, hall: Hall, applicant_token: str) -> None:
    clerk_token = api_token_issue(user=hall.org.user("clerk"))[1]
    with at("2026-11-06 10:00"):
        for n in range(2, 7):
            assert _book(client, clerk_token, hall, id_number=ids(n)).status_code == 201
        full = _book(client, applicant_token, hall)
        assert full.status_code == 409 and full.json()["code"] == "slot_full"
        BookingBan.objects.create(
            id_number=ids(1),
            created_at=local("2026-11-05 10:00"),
            until=local("2026-12-05 10:00").date(),
            reason="3",
        )
        banned = _book(client, applicant_token, hall, start="10:00")
        assert banned.status_code == 409 and banned.json()["code"] == "booking_banned"
        assert banned.json()["details"]["until"] == "2026-12-05"
    assert Booking.objects.filter(channel="phone").count() == 5
    code = Booking.objects.first().code  # type: ignore[union-attr]
    with at("2026-11-09 08:00"):
        late = client.delete(f"{BASE}/{code}", **_headers(clerk_token))
    assert late.status_code == 409 and late.json()["code"] == "too_late_to_cancel"


def test_staff_day_list_and_check_in(client: Client, hall: Hall, applicant_token: str) -> None:
    clerk_token = api_token_issue(user=hall.org.user("clerk"))[1]
    auditor_token = api_token_issue(user=hall.org.user("auditor"))[1]
    with at("2026-11-06 10:00"):
        code = _book(client, applicant_token, hall).json()["code"]
        assert _book(client, auditor_token, hall, id_number=ids(3)).status_code == 403
    with at("2026-11-09 09:05"):
        day = client.get("/api/v1/appointments", **_headers(clerk_token)).json()
        assert [b["code"] for b in day] == [code] and day[0]["id_number"].startswith("110***")
        assert client.get("/api/v1/appointments", **_headers(auditor_token)).status_code == 403
        assert (
            client.post(f"/api/v1/appointments/{code}/check-in", **_headers(auditor_token)).status_code == 403
        )
        done = client.post(f"/api/v1/appointments/{code}/check-in", **_headers(clerk_token))
        assert done.status_code == 200 and done.json()["status"] == "checked_in"
        twice = client.post(f"/api/v1/appointments/{code}/check-in", **_headers(clerk_token))
        assert twice.status_code == 409
        assert client.post("/api/v1/appointments/NOPE/check-in", **_headers(clerk_token)).status_code == 404
