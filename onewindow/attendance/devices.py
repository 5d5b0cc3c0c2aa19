"""Attendance terminals (考勤机): a fingerprint or face reader that posts clock records with its
own key, never with a staff account.

A center administrator (attendance.manage_attendance_device) creates a terminal; the raw key
(`owt_…`) is returned once and only its SHA-256 digest and a short hint are stored (as
feedback/devices.py does for the window evaluators). The terminal sends it as
`Authorization: Device owt_…` (or `Bearer owt_…`); an unknown or revoked key is no terminal.
Creating and revoking are audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.attendance.models import AttendanceDevice
from onewindow.core import audit, clock
from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.org.models import Window
from onewindow.org.validation import require, require_center_access

KEY_PREFIX = "owt_"
MANAGE = "attendance.manage_attendance_device"
NAME_MAX = 60
SEEN_EVERY = dt.timedelta(minutes=1)


def key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _hint(raw: str) -> str:
    return raw[:8] + "…" + raw[-3:]


@transaction.atomic
def attendance_device_create(
    *, center: Any, name: str, actor: Any, window: Window | None = None, raw_key: str | None = None
) -> tuple[AttendanceDevice, str]:
    """A new terminal of `center` (optionally standing at `window`); returns it and its raw key,
    shown once. `raw_key` is for the demo loader only (a documented key)."""
    require(actor, MANAGE, _("You may not set up attendance terminals."))
    require_center_access(actor, center.pk)
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationFailed(
            _("Name the terminal (at most %(max)s characters), e.g. “Hall entrance”.") % {"max": NAME_MAX},
            code="invalid_device",
            details={"name": [_("Enter a name of at most %(max)s characters.") % {"max": NAME_MAX}]},
        )
    if window is not None and window.center_id != center.pk:
        raise NotFound(_("No such window in your center."), code="window_not_found")
    raw = raw_key if raw_key is not None else KEY_PREFIX + secrets.token_urlsafe(32)
    if not raw.startswith(KEY_PREFIX) or len(raw) < 20:
        raise ValidationFailed(_("A terminal key starts with owt_ and is long."), code="invalid_key")
    device = AttendanceDevice.objects.create(
        center=center,
        window=window,
        name=name,
        key_digest=key_digest(raw),
        key_hint=_hint(raw)[:12],
        created_at=clock.now(),
        created_by=actor,
    )
    audit.record(
        action="attendance.device_create",
        obj=device,
        actor=actor,
        after={"name": name, "window": window.code if window else "", "hint": device.key_hint},
    )
    return device, raw


@transaction.atomic
def attendance_device_revoke(*, device_id: int, actor: Any) -> AttendanceDevice:
    """Revoke a terminal: its key no longer clocks anyone (idempotent)."""
    require(actor, MANAGE, _("You may not set up attendance terminals."))
    device = (
        AttendanceDevice.objects.select_for_update().filter(pk=device_id, center_id=actor.center_id).first()
    )
    if device is None:
        raise NotFound(_("No such attendance terminal."), code="device_not_found")
    if device.revoked_at is None:
        device.revoked_at = clock.now()
        device.save(update_fields=["revoked_at"])
        audit.record(
            action="attendance.device_revoke", obj=device, actor=actor, after={"hint": device.key_hint}
        )
    return device


def device_from_key(key: Any) -> AttendanceDevice | None:
    """The terminal of a raw key, or None (not a key, unknown, revoked)."""
    if not isinstance(key, str) or not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    return (
        AttendanceDevice.objects.select_related("center", "window")
        .filter(key_digest=key_digest(key), revoked_at__isnull=True)
        .first()
    )


def device_seen(device: AttendanceDevice) -> None:
    """Record that the terminal is alive (at most once a minute)."""
    now = clock.now()
    if device.last_seen_at is None or now - device.last_seen_at >= SEEN_EVERY:
        AttendanceDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now
