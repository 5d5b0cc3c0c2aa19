"""The demo center's appointments (预约办理): one business type per department with windows in
the center (letters A, B, … in the departments' order), each with the department's items that
take appointments, plus the general windows (Z: any business, no item of its own); slot rules
09:00–12:00 and 13:30–17:00 in 30-minute slots of 5; one after-hours extra slot (延时服务,
17:00–18:30 on the next working day). Idempotent: a second run changes nothing. The lead calls
`load(center)` from the demo loader."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from onewindow.appointments.models import BusinessType, ExtraSlot, SlotRule
from onewindow.calendar import selectors as calendar_selectors
from onewindow.catalog.models import ServiceItem
from onewindow.core import clock
from onewindow.org.models import Center, Department, Window

RULES = ((dt.time(9), dt.time(12)), (dt.time(13, 30), dt.time(17)))
SLOT_MINUTES = 30
CAPACITY = 5
GENERAL_LETTER = "Z"


def _business(center: Center, letter: str, name: str, windows: list[Window]) -> tuple[BusinessType, bool]:
    business, created = BusinessType.objects.get_or_create(
        center=center,
        letter=letter,
        defaults={"name": name, "preferred_window": windows[0] if windows else None, "daily_ticket_cap": 200},
    )
    if created:
        business.windows.set(windows)
    return business, created


def _rules(business: BusinessType) -> int:
    made = 0
    for start, end in RULES:
        _rule, created = SlotRule.objects.get_or_create(
            business=business,
            start=start,
            end=end,
            defaults={"slot_minutes": SLOT_MINUTES, "capacity": CAPACITY, "valid_from": dt.date(2026, 1, 1)},
        )
        made += created
    return made


def load(center: Center) -> dict[str, Any]:
    windows = list(Window.objects.filter(center=center, active=True).order_by("code"))
    by_department: dict[int | None, list[Window]] = {}
    for window in windows:
        by_department.setdefault(window.department_id, []).append(window)
    items = ServiceItem.objects.filter(
        center=center, published_version__appointment_allowed=True
    ).select_related("published_version")
    items_by_department: dict[int, list[ServiceItem]] = {}
    for item in items:
        assert item.published_version is not None
        items_by_department.setdefault(item.published_version.department_id, []).append(item)
    departments = Department.objects.filter(center=center, pk__in=[k for k in by_department if k]).order_by(
        "code"
    )
    counts = {"business_types": 0, "slot_rules": 0, "extra_slots": 0}
    letters = iter(c for c in string.ascii_uppercase if c != GENERAL_LETTER)
    first_bookable: BusinessType | None = None
    for department in departments:
        letter = next(letters, None)
        if letter is None:
            break
        name = f"{department.short_name}业务" if department.short_name else department.name
        business, created = _business(center, letter, name, by_department[department.pk])
        counts["business_types"] += created
        dept_items = items_by_department.get(department.pk, [])
        if created:
            business.items.set(dept_items)
            business.bookable = bool(dept_items)
            business.save(update_fields=["bookable"])
        counts["slot_rules"] += _rules(business)
        if business.bookable and first_bookable is None:
            first_bookable = business
    general = by_department.get(None, [])
    if general:
        business, created = _business(center, GENERAL_LETTER, "综合业务（一窗受理）", general)
        counts["business_types"] += created  # no items of its own: an item books its department's type
        counts["slot_rules"] += _rules(business)
    if first_bookable is not None and not ExtraSlot.objects.filter(business=first_bookable).exists():
        day = calendar_selectors.add_working_days(clock.today(), 1)
        ExtraSlot.objects.create(
            business=first_bookable,
            date=day,
            kind=ExtraSlot.Kind.AFTER_HOURS,
            start=dt.time(17),
            end=dt.time(18, 30),
            capacity=CAPACITY,
            note="延时服务",
        )
        counts["extra_slots"] += 1
    return counts
