"""The demo's appointments (onewindow.demo.online_appointments): business types for the demo
center's windows with the items that take appointments, the slot rules, one after-hours slot;
a second run changes nothing; a slot of the demo can be booked."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.appointments import schedule, selectors
from onewindow.appointments.models import BusinessType, ExtraSlot, SlotRule
from onewindow.demo import online_appointments
from onewindow.demo.data.org import DEMO_CENTER_CODE
from onewindow.demo.loader import load_demo
from onewindow.org.models import Center

pytestmark = pytest.mark.django_db


def test_the_demo_appointments_load_once() -> None:
    load_demo(history=False)
    center = Center.objects.get(code=DEMO_CENTER_CODE)
    first = online_appointments.load(center)
    assert first["business_types"] >= 10 and first["extra_slots"] == 1
    assert first["slot_rules"] == 2 * first["business_types"]
    assert online_appointments.load(center) == {"business_types": 0, "slot_rules": 0, "extra_slots": 0}
    scjg = BusinessType.objects.get(center=center, items__code="SCJG-005")
    assert scjg.bookable and scjg.preferred_window is not None and scjg.preferred_window.code.startswith("B")
    general = BusinessType.objects.get(center=center, letter="Z")
    assert general.windows.filter(code="Z01").exists() and not general.items.exists()
    letters = list(BusinessType.objects.filter(center=center).values_list("letter", flat=True))
    assert len(letters) == len(set(letters))
    rule = SlotRule.objects.filter(business=scjg).order_by("start").first()
    assert rule is not None and (rule.start, rule.end, rule.slot_minutes, rule.capacity) == (
        dt.time(9),
        dt.time(12),
        30,
        5,
    )
    extra = ExtraSlot.objects.get()
    assert extra.kind == ExtraSlot.Kind.AFTER_HOURS and extra.start == dt.time(17)
    day = schedule.bookable_days(extra.business)[0]
    slots = selectors.day_slots(extra.business, day)
    assert len(slots) == 6 + 7 + (1 if day == extra.date else 0)
