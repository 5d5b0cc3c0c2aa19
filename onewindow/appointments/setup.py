"""Administering the slot calendar (appointments.manage_calendar): business types, slot rules
and extra slots are saved and deleted here (the Django admin calls these), audited; the counter
rows of days already shown or booked follow the new plan (capacity; unbooked slots no longer
planned go; a booked one stays for its bookings)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from onewindow.appointments import schedule
from onewindow.appointments.models import BusinessType, ExtraSlot, Slot, SlotRule
from onewindow.core import audit, clock
from onewindow.core.errors import PermissionDenied, ValidationFailed

MANAGE_CALENDAR = "appointments.manage_calendar"

Entry = BusinessType | SlotRule | ExtraSlot


def _require(actor: object) -> None:
    has_perm = getattr(actor, "has_perm", None)
    if not (has_perm and has_perm(MANAGE_CALENDAR)):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": MANAGE_CALENDAR})


def _business(entry: Entry) -> BusinessType:
    return entry if isinstance(entry, BusinessType) else entry.business


def _check_times(entry: Entry) -> None:
    if isinstance(entry, SlotRule | ExtraSlot) and entry.start >= entry.end:
        raise ValidationFailed(
            _("Check the times."), details={"end": [_("The end must be after the start.")]}
        )
    if isinstance(entry, SlotRule) and entry.valid_until and entry.valid_until < entry.valid_from:
        raise ValidationFailed(
            _("Check the dates."), details={"valid_until": [_("Not before the start of validity.")]}
        )


def slots_resync(business: BusinessType, after: dt.date | None = None) -> int:
    """Make the counter rows of the days after `after` (default today) follow the plan; answers
    how many rows changed."""
    after = after or clock.today()
    changed = 0
    days = Slot.objects.filter(business=business, date__gt=after).values_list("date", flat=True).distinct()
    for day in sorted(set(days)):
        planned = {p.start: p for p in schedule.planned_slots(business, day)}
        for slot in Slot.objects.filter(business=business, date=day):
            plan = planned.get(slot.start)
            if plan is None:
                if slot.booked == 0:
                    slot.delete()
                    changed += 1
            elif (plan.capacity, plan.end) != (slot.capacity, slot.end):
                Slot.objects.filter(pk=slot.pk).update(capacity=plan.capacity, end=plan.end)
                changed += 1
    return changed


@transaction.atomic
def calendar_entry_save(*, entry: Entry, actor: object) -> Entry:
    """Validate and save a business type, slot rule or extra slot (audited)."""
    _require(actor)
    try:
        entry.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(_("Check the entry."), details=exc.message_dict) from None
    _check_times(entry)
    before = audit.snapshot(type(entry).objects.get(pk=entry.pk)) if entry.pk else None
    entry.save()
    audit.record(
        action=f"appointments.{type(entry).__name__.lower()}.save",
        obj=entry,
        actor=actor,
        before=before,
        after=audit.snapshot(entry),
    )
    if not isinstance(entry, BusinessType):
        slots_resync(_business(entry))
    return entry


@transaction.atomic
def calendar_entry_delete(*, entry: Entry, actor: object) -> None:
    _require(actor)
    if isinstance(entry, BusinessType):
        raise ValidationFailed(
            _("A business type is switched off, not deleted."), details={"active": [_("Untick active.")]}
        )
    business = _business(entry)
    audit.record(
        action=f"appointments.{type(entry).__name__.lower()}.delete",
        obj=entry,
        actor=actor,
        before=audit.snapshot(entry),
    )
    entry.delete()
    slots_resync(business)


def set_members(*, business: BusinessType, field: str, values: models.QuerySet, actor: object) -> None:  # type: ignore[type-arg]
    """Replace the business type's items or windows (audited)."""
    _require(actor)
    getattr(business, field).set(values)
    audit.record(
        action=f"appointments.businesstype.{field}",
        obj=business,
        actor=actor,
        after={field: sorted(v.pk for v in values)},
    )
