"""The hall's notices (HallNotice): what the center's screens show besides the calls, e.g. the
opening hours on a holiday. Services write them (permission hall.manage_hall, own center only),
each in one transaction with an audit record and a touch of the hall board so that the screens
fetch them again; selectors read them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from onewindow.core import audit, clock
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed
from onewindow.hall.board import board_touch
from onewindow.hall.models import HallNotice

if TYPE_CHECKING:
    from onewindow.org.models import Center, User

MANAGE_HALL = "hall.manage_hall"
TEXT_MAX = 300
POSITION_MAX = 999
FIELDS = ["text", "position", "active", "starts_on", "ends_on"]


def _check_actor(actor: User, center_id: int) -> None:
    if not actor.has_perm(MANAGE_HALL):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": MANAGE_HALL})
    if actor.center_id is not None and actor.center_id != center_id:
        raise PermissionDenied(_("This notice belongs to another service center."))


def _clean(*, text: str, position: int, starts_on: dt.date | None, ends_on: dt.date | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    text = " ".join((text or "").split())
    if not text:
        errors["text"] = [_("Write the text of the notice.")]
    elif len(text) > TEXT_MAX:
        errors["text"] = [
            _("At most %(max)s characters; this one has %(n)s.") % {"max": TEXT_MAX, "n": len(text)}
        ]
    if not 0 <= position <= POSITION_MAX:
        errors["position"] = [_("A number from 0 to %(max)s.") % {"max": POSITION_MAX}]
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The last day is before the first day.")]
    if errors:
        raise ValidationFailed(
            _("The notice was not saved: correct the marked fields."),
            code="invalid_notice",
            details=errors,
        )
    return {"text": text, "position": position, "starts_on": starts_on, "ends_on": ends_on}


def hall_notice_create(
    *,
    center: Center,
    text: str,
    actor: User,
    position: int = 0,
    active: bool = True,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> HallNotice:
    _check_actor(actor, center.pk)
    cleaned = _clean(text=text, position=position, starts_on=starts_on, ends_on=ends_on)
    now = clock.now()
    with transaction.atomic():
        notice = HallNotice.objects.create(
            center=center, active=active, created_at=now, created_by=actor, **cleaned
        )
        audit.record(
            action="hall_notice.create", obj=notice, after=audit.snapshot(notice, FIELDS), actor=actor
        )
        board_touch(center.pk, now=now)
    return notice


def hall_notice_update(
    *,
    notice: HallNotice,
    text: str,
    actor: User,
    position: int = 0,
    active: bool = True,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> HallNotice:
    _check_actor(actor, notice.center_id)
    cleaned = _clean(text=text, position=position, starts_on=starts_on, ends_on=ends_on)
    with transaction.atomic():
        locked = HallNotice.objects.select_for_update().filter(pk=notice.pk).first()
        if locked is None:
            raise NotFound(_("This notice no longer exists."))
        before = audit.snapshot(locked, FIELDS)
        for key, value in {**cleaned, "active": active}.items():
            setattr(locked, key, value)
        after = audit.snapshot(locked, FIELDS)
        if after != before:
            locked.save(update_fields=FIELDS)
            audit.record(action="hall_notice.update", obj=locked, before=before, after=after, actor=actor)
            board_touch(locked.center_id)
    return locked


def hall_notice_delete(*, notice: HallNotice, actor: User) -> None:
    _check_actor(actor, notice.center_id)
    with transaction.atomic():
        locked = HallNotice.objects.select_for_update().filter(pk=notice.pk).first()
        if locked is None:
            raise NotFound(_("This notice no longer exists."))
        before = audit.snapshot(locked, FIELDS)
        audit.record(
            action="hall_notice.delete",
            object_type=locked._meta.label_lower,
            object_id=str(locked.pk),
            object_repr=str(locked),
            before=before,
            actor=actor,
        )
        locked.delete()
        board_touch(locked.center_id)


# --- selectors ------------------------------------------------------------------------------


def notices_of_center(center_id: int) -> QuerySet[HallNotice]:
    """All notices of the center, in screen order (the admin list)."""
    return HallNotice.objects.filter(center_id=center_id).order_by("position", "pk")


def notices_shown(center_id: int, *, day: dt.date | None = None) -> QuerySet[HallNotice]:
    """The notices the screens show on `day` (default today): active, and the day within
    [shown from, shown until] where those are set."""
    day = day or clock.today()
    return notices_of_center(center_id).filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=day),
        Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        active=True,
    )


def notice_of_center(center_id: int, pk: int) -> HallNotice:
    notice = HallNotice.objects.filter(center_id=center_id, pk=pk).first()
    if notice is None:
        raise NotFound(_("There is no such notice."))
    return notice
