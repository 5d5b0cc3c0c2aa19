"""The duty leader's patrol log (值班巡查): who found what, where, when.

An entry marked as a violation counts for the window assessment (`violations`, kind patrol);
"in order" can never be a violation. Audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.attendance.models import PatrolEntry
from onewindow.core import audit
from onewindow.core import clock as time
from onewindow.core.errors import PermissionDenied, ValidationFailed

LOG_PATROL = "attendance.log_patrol"
NOTE_MAX = 300
PAST_DAYS = 7


@transaction.atomic
def patrol_entry_create(
    *,
    leader: Any,
    at: dt.datetime | None,
    window: Any,
    person: Any,
    finding: str,
    violation: bool,
    note: str = "",
    client_ip: str | None = None,
) -> PatrolEntry:
    """Log one patrol finding at `window` (or about `person`; at least one of them) at `at`
    (default now; up to PAST_DAYS back, not in the future)."""
    if leader is None or not leader.has_perm(LOG_PATROL):
        raise PermissionDenied(_("Only a duty leader may write the patrol log."))
    now = time.now()
    at = at or now
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if finding not in PatrolEntry.Finding.values:
        errors["finding"] = [_("Choose what you found.")]
    if at > now + dt.timedelta(minutes=5) or at < now - dt.timedelta(days=PAST_DAYS):
        errors["at"] = [_("Enter a time of the last %(days)s days.") % {"days": PAST_DAYS}]
    if window is not None and window.center_id != leader.center_id:
        errors["window"] = [_("No such window in your center.")]
    if person is not None and person.center_id != leader.center_id:
        errors["person"] = [_("No such person in your center.")]
    if window is None and person is None:
        errors["window"] = [_("Choose the window or the person.")]
    if violation and finding == PatrolEntry.Finding.IN_ORDER:
        errors["violation"] = [_("A finding “in order” is no violation.")]
    if violation and person is None and window is None:
        errors["person"] = [_("Name who broke the rule.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Enter at most %(max)s characters.") % {"max": NOTE_MAX}]
    if finding not in ("", PatrolEntry.Finding.IN_ORDER) and not note and violation:
        errors["note"] = [_("Say what you saw.")]
    if errors:
        raise ValidationFailed(_("Check the patrol entry."), code="invalid_patrol", details=errors)
    entry = PatrolEntry.objects.create(
        center_id=leader.center_id,
        leader=leader,
        at=at,
        window=window if window is not None else (person.window if person is not None else None),
        person=person,
        finding=finding,
        violation=violation,
        note=note,
        recorded_at=now,
        client_ip=client_ip,
    )
    audit.record(
        action="attendance.patrol",
        obj=entry,
        actor=leader,
        after={
            "window": entry.window.code if entry.window else "",
            "person": person.username if person is not None else "",
            "finding": finding,
            "violation": violation,
        },
    )
    return entry
