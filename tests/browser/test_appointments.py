"""Booking a visit on the portal in a real browser at phone width (375 px): choose the business,
a day and a slot, confirm, see the code, find it under my appointments and cancel it."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.conf import settings

from onewindow.appointments.models import Booking, BusinessType, SlotRule
from onewindow.cases.tests.conftest import load_calendar_2026
from onewindow.identity.sessions import SESSION_PERSON
from tests.applicants import make_person
from tests.factories import build_org

pytestmark = pytest.mark.browser


@pytest.fixture
def hall(transactional_db):
    load_calendar_2026()
    org = build_org()
    business = BusinessType.objects.create(
        center=org.center, letter="A", name="市场监管业务", preferred_window=org.window_a
    )
    for start, end in ((dt.time(9), dt.time(12)), (dt.time(13, 30), dt.time(17))):
        SlotRule.objects.create(
            business=business,
            start=start,
            end=end,
            slot_minutes=30,
            capacity=5,
            valid_from=dt.date(2026, 1, 1),
        )
    return make_person(), business


def _sign_in(page, live_server, person) -> None:
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_PERSON] = person.pk
    session.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )


def test_book_see_and_cancel_on_a_phone(page, live_server, hall, screenshot):
    person, _business = hall
    page.set_viewport_size({"width": 375, "height": 812})
    _sign_in(page, live_server, person)
    page.goto("/appointments/")
    page.click("[data-testid=appointment-businesses] a")
    page.wait_for_selector("[data-testid=appointment-day]")
    assert page.locator("[data-testid=appointment-day]").count() == 5
    screenshot(page, "portal-appointment-days-375")
    page.locator("[data-testid=appointment-day][open] [data-testid=slot]").first.click()
    page.wait_for_selector("[data-testid=confirm-form]")
    assert page.input_value("#appt-id") == person.id_number  # prefilled from the account
    screenshot(page, "portal-appointment-confirm-375")
    page.click("[data-testid=confirm-button]")
    page.wait_for_selector("[data-testid=appointment-code]")
    code = page.inner_text("[data-testid=appointment-code]").strip()
    booking = Booking.objects.get(code=code)
    assert booking.person_id == person.pk and booking.status == Booking.Status.BOOKED
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    screenshot(page, "portal-appointment-done-375")
    page.goto("/appointments/mine/")
    card = page.locator(f"[data-testid=my-booking][data-code={code}]")
    assert card.get_attribute("data-status") == "booked"
    card.locator("[data-testid=cancel-button]").click()
    page.wait_for_selector("[data-testid=appointment-message]")
    assert (
        page.locator(f"[data-testid=my-booking][data-code={code}]").get_attribute("data-status")
        == "cancelled"
    )
    screenshot(page, "portal-appointment-mine-375")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
