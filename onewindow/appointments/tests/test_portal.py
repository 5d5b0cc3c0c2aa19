"""The portal's booking pages: choose, days with free places, confirm (sign-in needed), the code,
my bookings with cancel, the item page's button, the ban and the appeal."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from onewindow.appointments.models import BanAppeal, Booking, BookingBan
from onewindow.appointments.tests.conftest import Hall, at, book, ids, local
from tests.applicants import make_person, sign_in

BASE = "/appointments/"


def test_choose_a_business_and_see_the_days(client: Client, hall: Hall) -> None:
    with at("2026-11-06 10:00"):
        book(hall, "2026-11-09", "09:00", n=2)
        page = client.get(BASE).content.decode()
        assert "市场监管业务" in page and f"{BASE}business/{hall.business.pk}/" in page
        days = client.get(f"{BASE}business/{hall.business.pk}/").content.decode()
    assert days.count('data-testid="appointment-day"') == 5
    assert 'data-date="2026-11-09"' in days and 'data-date="2026-11-13"' in days
    assert "64" in days and "65" in days  # free places of the day: 13 slots × 5, one taken


def test_booking_needs_sign_in(client: Client, hall: Hall) -> None:
    with at("2026-11-06 10:00"):
        answer = client.get(f"{BASE}business/{hall.business.pk}/book/?date=2026-11-09&start=09:00")
    assert answer.status_code in (302, 403)
    if answer.status_code == 302:
        assert "next=" in answer["Location"]


def test_book_see_and_cancel(client: Client, hall: Hall) -> None:
    sign_in(client, hall.person)
    url = f"{BASE}business/{hall.business.pk}/book/"
    with at("2026-11-06 10:00"):
        form = client.get(f"{url}?date=2026-11-09&start=09:30&item=SC100").content.decode()
        assert ids(1) in form and "13800138000" in form  # prefilled from the account
        answer = client.post(
            url,
            {
                "date": "2026-11-09",
                "start": "09:30",
                "item": "SC100",
                "id_number": ids(1),
                "name": "张三",
                "phone": "13800138000",
            },
        )
        assert answer.status_code == 302
        booking = Booking.objects.get()
        assert booking.item == hall.item and booking.person == hall.person
        done = client.get(answer["Location"]).content.decode()
        assert booking.code in done
        again = client.post(
            url,
            {
                "date": "2026-11-10",
                "start": "09:30",
                "id_number": ids(1),
                "name": "张三",
                "phone": "13800138000",
            },
        )
        assert again.status_code == 409 and "已有" in again.content.decode()
        mine = client.get(f"{BASE}mine/").content.decode()
        assert booking.code in mine and 'data-testid="cancel-button"' in mine
        cancelled = client.post(f"{BASE}booked/{booking.code}/cancel/")
        assert cancelled.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    other = Client()
    sign_in(other, make_person(phone="13900139000", id_number=ids(5)))
    assert other.get(f"{BASE}booked/{booking.code}/").status_code == 404


def test_the_item_page_links_to_booking(client: Client, hall: Hall) -> None:
    page = client.get("/items/SC100/").content.decode()
    assert 'data-testid="book-link"' in page
    answer = client.get(f"{BASE}items/SC100/")
    assert answer.status_code == 302 and f"business/{hall.business.pk}/?item=SC100" in answer["Location"]


def test_a_banned_applicant_sees_until_when_and_appeals(client: Client, hall: Hall) -> None:
    BookingBan.objects.create(
        id_number=ids(1), created_at=local("2026-11-05 10:00"), until=dt.date(2026, 12, 5), reason="3"
    )
    sign_in(client, hall.person)
    with at("2026-11-06 10:00"):
        page = client.get(BASE).content.decode()
        assert "2026-12-05" in page and 'data-testid="appeal-form"' in page
        assert client.post(f"{BASE}appeal/", {"text": "那天生病了"}).status_code == 302
        assert 'data-testid="appeal-form"' not in client.get(f"{BASE}mine/").content.decode()
    assert BanAppeal.objects.get().text == "那天生病了"
