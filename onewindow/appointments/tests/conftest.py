"""Fixtures of the appointments tests: the 2026 holiday schedule, a business type with the demo's
rules (09:00–12:00 and 13:30–17:00, 30-minute slots of 5), an item that takes appointments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from onewindow.appointments import services
from onewindow.appointments.models import Booking, BusinessType, SlotRule
from onewindow.cases.tests.conftest import at, load_calendar_2026, local
from onewindow.catalog.models import ServiceItem
from onewindow.identity.models import Person
from tests.applicants import make_person, resident_id
from tests.factories import OrgFixture, make_item

__all__ = ["at", "book", "ids", "local"]


def ids(n: int) -> str:
    """The n-th distinct valid resident ID number (n < 1000)."""
    return resident_id(f"11010119900307{n:03d}")


@dataclass
class Hall:
    org: OrgFixture
    business: BusinessType
    item: ServiceItem
    person: Person


def add_rules(business: BusinessType, capacity: int = 5) -> None:
    for start, end in ((dt.time(9), dt.time(12)), (dt.time(13, 30), dt.time(17))):
        SlotRule.objects.create(
            business=business,
            start=start,
            end=end,
            slot_minutes=30,
            capacity=capacity,
            valid_from=dt.date(2026, 1, 1),
        )


@pytest.fixture
def hall(org: OrgFixture) -> Hall:
    load_calendar_2026()
    version = make_item(org, code="SC100")
    version.appointment_allowed = True
    version.save(update_fields=["appointment_allowed"])
    business = BusinessType.objects.create(
        center=org.center, letter="A", name="市场监管业务", preferred_window=org.window_a
    )
    business.items.add(version.item)
    business.windows.add(org.window_a)
    add_rules(business)
    person = make_person(id_number=ids(1))
    return Hall(org=org, business=business, item=version.item, person=person)


def book(hall: Hall, day: str, start: str = "09:00", n: int = 1, **kw: Any) -> Booking:
    values: dict[str, Any] = {
        "business": hall.business,
        "day": dt.date.fromisoformat(day),
        "start": dt.time.fromisoformat(start),
        "id_number": ids(n),
        "name": "张三",
        "phone": "13800138000",
        "person": hall.person,
    }
    values.update(kw)
    return services.booking_create(**values)
