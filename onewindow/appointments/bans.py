"""The blacklist (wave2.md §2): APPOINTMENT_BAN_NO_SHOWS no-shows within
APPOINTMENT_BAN_LOOKBACK_DAYS ban booking for APPOINTMENT_BAN_DAYS days; a supervisor may ban
for good (`permanent`) and lifts bans by hand (audited); the applicant appeals with a text.

The no-shows that led to a ban are spent by it: after a ban (lifted or run out), only no-shows
missed after the ban was made count towards the next one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.appointments.models import BanAppeal, Booking, BookingBan
from onewindow.core import audit, clock
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_id_number, mask_name
from onewindow.identity.models import Person
from onewindow.org.models import User

LIFT_BAN = "appointments.lift_ban"


@dataclass(frozen=True)
class BanRule:
    lookback_days: int
    no_shows: int
    ban_days: int

    @classmethod
    def current(cls) -> BanRule:
        return cls(
            lookback_days=settings.APPOINTMENT_BAN_LOOKBACK_DAYS,
            no_shows=settings.APPOINTMENT_BAN_NO_SHOWS,
            ban_days=settings.APPOINTMENT_BAN_DAYS,
        )


def ban_due(
    missed: list[dt.datetime], now: dt.datetime, rule: BanRule, spent_until: dt.datetime | None = None
) -> bool:
    """Pure: do the no-shows `missed` (moments) call for a ban at `now`? Those at or before
    `spent_until` (the last ban's making) are spent."""
    since = now - dt.timedelta(days=rule.lookback_days)
    counted = [m for m in missed if m > since and m <= now and (spent_until is None or m > spent_until)]
    return len(counted) >= rule.no_shows


def active_ban(id_number: str, today: dt.date | None = None) -> BookingBan | None:
    """The ban in force for an ID number (a permanent one first, then the longest), or None.
    The ID number's unlifted bans (a handful at most) are chosen from here: a plain query costs
    a booking half of what the filtered and ordered one did (bench_appointments)."""
    today = today or clock.today()
    in_force = [
        ban
        for ban in BookingBan.objects.filter(id_number=id_number, lifted_at__isnull=True)
        if ban.permanent or (ban.until is not None and ban.until >= today)
    ]
    if not in_force:
        return None
    return max(in_force, key=lambda ban: (ban.permanent, ban.until or dt.date.min))


def ban_evaluate(*, id_number: str, name: str, now: dt.datetime) -> BookingBan | None:
    """After a no-show: make the ban the rule calls for (inside the caller's transaction)."""
    rule = BanRule.current()
    if active_ban(id_number, clock.local(now).date()) is not None:
        return None
    last = BookingBan.objects.filter(id_number=id_number).order_by("-created_at").first()
    missed = list(
        Booking.objects.filter(
            id_number=id_number,
            status=Booking.Status.MISSED,
            missed_at__gt=now - dt.timedelta(days=rule.lookback_days),
        ).values_list("missed_at", flat=True)
    )
    spent = last.created_at if last is not None else None
    if not ban_due([m for m in missed if m is not None], now, rule, spent):
        return None
    count = sum(1 for m in missed if m is not None and (spent is None or m > spent))
    ban = BookingBan.objects.create(
        id_number=id_number,
        name=name,
        created_at=now,
        until=clock.local(now).date() + dt.timedelta(days=rule.ban_days),
        reason=_("%(count)d no-shows within %(days)d days.") % {"count": count, "days": rule.lookback_days},
        no_shows=count,
    )
    audit.record(
        action="appointment_ban.create",
        obj=ban,
        actor=None,
        after={"id_number": mask_id_number(id_number), "until": ban.until, "no_shows": count},
    )
    return ban


def _require(actor: User, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": perm})


@transaction.atomic
def ban_lift(*, ban: BookingBan, actor: User, reason: str) -> BookingBan:
    """Lift a ban by hand (a supervisor, with a reason; audited)."""
    _require(actor, LIFT_BAN)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Give the reason for lifting the ban."), details={"reason": [_("This field is required.")]}
        )
    now = clock.now()
    updated = BookingBan.objects.filter(pk=ban.pk, lifted_at__isnull=True).update(
        lifted_at=now, lifted_by=actor, lift_reason=reason[:200]
    )
    if not updated:
        raise Conflict(_("This ban has already been lifted."), code="already_lifted")
    ban.refresh_from_db()
    audit.record(
        action="appointment_ban.lift",
        obj=ban,
        actor=actor,
        before={"lifted_at": None},
        after={"lifted_at": now, "reason": reason[:200]},
    )
    return ban


@transaction.atomic
def ban_set_permanent(*, id_number: str, name: str, reason: str, actor: User) -> BookingBan:
    """Ban an ID number from booking for good (a supervisor; audited)."""
    _require(actor, LIFT_BAN)
    id_number = (id_number or "").strip().upper()
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not id_number:
        errors["id_number"] = [_("This field is required.")]
    if not reason:
        errors["reason"] = [_("This field is required.")]
    if errors:
        raise ValidationFailed(_("Check the ban."), details=errors)
    ban = BookingBan.objects.create(
        id_number=id_number,
        name=name[:100],
        created_at=clock.now(),
        permanent=True,
        reason=reason[:200],
    )
    audit.record(
        action="appointment_ban.permanent",
        obj=ban,
        actor=actor,
        after={"id_number": mask_id_number(id_number), "name": mask_name(name), "reason": reason[:200]},
    )
    return ban


@transaction.atomic
def appeal_submit(*, ban: BookingBan, person: Person | None, text: str) -> BanAppeal:
    """The applicant's appeal against a ban in force (one open appeal per ban)."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Write your appeal."), details={"text": [_("This field is required.")]})
    if len(text) > 1000:
        raise ValidationFailed(_("Write your appeal."), details={"text": [_("At most 1000 characters.")]})
    if ban.lifted_at is not None:
        raise Conflict(_("This ban has already been lifted."), code="already_lifted")
    if BanAppeal.objects.filter(ban=ban, status=BanAppeal.Status.OPEN).exists():
        raise Conflict(_("Your appeal is already being considered."), code="appeal_open")
    appeal = BanAppeal.objects.create(ban=ban, person=person, text=text, submitted_at=clock.now())
    audit.record(action="appointment_ban.appeal", obj=appeal, actor=None, after={"ban": ban.pk})
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: BanAppeal, actor: User, grant: bool, answer: str) -> BanAppeal:
    """Grant (the ban is lifted, with the answer as the reason) or reject an open appeal."""
    _require(actor, LIFT_BAN)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationFailed(_("Write your answer."), details={"answer": [_("This field is required.")]})
    status = BanAppeal.Status.GRANTED if grant else BanAppeal.Status.REJECTED
    now = clock.now()
    updated = BanAppeal.objects.filter(pk=appeal.pk, status=BanAppeal.Status.OPEN).update(
        status=status, answer=answer[:500], decided_at=now, decided_by=actor
    )
    if not updated:
        raise Conflict(_("This appeal has already been decided."), code="already_decided")
    appeal.refresh_from_db()
    audit.record(action="appointment_ban.appeal_decide", obj=appeal, actor=actor, after={"status": status})
    if grant and appeal.ban.lifted_at is None:
        ban_lift(ban=appeal.ban, actor=actor, reason=answer)
    return appeal
