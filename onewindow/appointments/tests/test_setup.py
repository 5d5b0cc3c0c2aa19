"""Administering the calendar through `setup` (and the Django admin, which calls it): the
permission, validation, audit, and the counter rows of shown days following a changed rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from onewindow.appointments import setup
from onewindow.appointments.models import ExtraSlot, Slot, SlotRule
from onewindow.appointments.tests.conftest import Hall, at, book
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry


def test_a_rule_change_reaches_the_counters_of_later_days(hall: Hall) -> None:
    admin = hall.org.user("centeradmin")
    with at("2026-11-06 10:00"):
        book(hall, "2026-11-09", "09:00")
        rule = SlotRule.objects.filter(business=hall.business).order_by("start").first()
        assert rule is not None
        rule.capacity = 8
        with pytest.raises(PermissionDenied):
            setup.calendar_entry_save(entry=rule, actor=hall.org.user("clerk"))
        setup.calendar_entry_save(entry=rule, actor=admin)
        # the morning ends at 11:00 from now on: unbooked 11:00 and 11:30 slots go
        rule.end = dt.time(11)
        setup.calendar_entry_save(entry=rule, actor=admin)
        rule.end = dt.time(8)
        with pytest.raises(ValidationFailed):
            setup.calendar_entry_save(entry=rule, actor=admin)
    slots = {s.start: s for s in Slot.objects.filter(date=dt.date(2026, 11, 9))}
    assert slots[dt.time(9)].capacity == 8 and slots[dt.time(9)].booked == 1
    assert dt.time(11) not in slots and dt.time(13, 30) in slots
    assert AuditEntry.objects.filter(action="appointments.slotrule.save").count() == 2


def test_the_admin_saves_through_the_service(client: Client, hall: Hall) -> None:
    client.force_login(hall.org.user("centeradmin"))
    answer = client.post(
        "/admin/appointments/extraslot/add/",
        {
            "business": hall.business.pk,
            "date": "2026-11-14",
            "kind": "holiday",
            "start": "09:00",
            "end": "12:00",
            "slot_minutes": "60",
            "capacity": "4",
            "note": "周六预约",
        },
    )
    assert answer.status_code == 302, answer.content[:500]
    assert ExtraSlot.objects.get().capacity == 4
    assert AuditEntry.objects.filter(action="appointments.extraslot.save").exists()
    clerk = Client()
    clerk.force_login(hall.org.user("clerk"))
    assert clerk.get("/admin/appointments/extraslot/").status_code in (302, 403)
