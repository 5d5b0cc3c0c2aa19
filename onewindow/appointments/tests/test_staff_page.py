"""The staff page web:appointments: the day's bookings masked, finding and checking in, phone
bookings, lifting a ban, deciding an appeal."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from onewindow.appointments import bans
from onewindow.appointments.models import BanAppeal, Booking, BookingBan
from onewindow.appointments.tests.conftest import Hall, at, book, ids, local

BASE = "/staff/appointments/"


def _url() -> str:
    from django.urls import reverse

    return reverse("web:appointments")


def test_the_day_masked_find_and_check_in(client: Client, hall: Hall) -> None:
    with at("2026-11-06 10:00"):
        booking = book(hall, "2026-11-09", "09:00", n=1)
    client.force_login(hall.org.user("clerk"))
    with at("2026-11-09 08:55"):
        page = client.get(_url()).content.decode()
        assert booking.code in page and ids(1) not in page and "110***" in page and "张*" in page
        found = client.get(_url(), {"q": ids(1)}).content.decode()
        assert found.count(booking.code) >= 2
        answer = client.post(f"{_url()}{booking.code}/check-in/")
        assert answer.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_a_phone_booking_and_permissions(client: Client, hall: Hall) -> None:
    client.force_login(hall.org.user("clerk"))
    with at("2026-11-06 10:00"):
        answer = client.post(
            f"{_url()}book/",
            {
                "business": hall.business.pk,
                "date": "2026-11-10",
                "start": "10:00",
                "id_number": ids(4),
                "name": "王五",
                "phone": "13700137000",
            },
        )
    assert answer.status_code == 302
    assert Booking.objects.get().channel == Booking.Channel.PHONE
    auditor = Client()
    auditor.force_login(hall.org.user("auditor"))
    assert auditor.get(_url()).status_code == 403


def test_a_supervisor_lifts_and_decides(client: Client, hall: Hall) -> None:
    ban = BookingBan.objects.create(
        id_number=ids(1),
        name="张三",
        created_at=local("2026-11-05 10:00"),
        until=dt.date(2026, 12, 5),
        reason="3",
    )
    other = BookingBan.objects.create(
        id_number=ids(2),
        name="李四",
        created_at=local("2026-11-05 10:00"),
        until=dt.date(2026, 12, 5),
        reason="3",
    )
    with at("2026-11-06 10:00"):
        appeal = bans.appeal_submit(ban=other, person=None, text="请求解除")
        client.force_login(hall.org.user("supervisor"))
        page = client.get(_url()).content.decode()
        assert 'data-testid="bans"' in page and "请求解除" in page and ids(1) not in page
        client.post(f"{_url()}bans/{ban.pk}/lift/", {"reason": "核实后解除"})
        client.post(f"{_url()}appeals/{appeal.pk}/decide/", {"grant": "0", "answer": "证据不足"})
    ban.refresh_from_db()
    appeal.refresh_from_db()
    assert ban.lifted_at is not None and appeal.status == BanAppeal.Status.REJECTED
