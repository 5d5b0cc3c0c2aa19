"""Window evaluators (评价器): a tablet bound to one window, with its own key.

A device is created by an account holding feedback.manage_evaluator for a window in its data
scope; the raw key (`owe_…`) is returned once and only its SHA-256 digest and a short hint are
stored (as identity/tokens.py does for the applicants' `owa_` tokens). The tablet presents the key
(in a signed cookie set by the pairing page); a revoked or unknown key is no device. Creating and
revoking are audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.core import audit, clock
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed
from onewindow.feedback.models import EvaluatorDevice
from onewindow.org.models import Window
from onewindow.org.selectors import in_data_scope

KEY_PREFIX = "owe_"
MANAGE = "feedback.manage_evaluator"
NAME_MAX = 60
# how often `device_seen` writes the last-seen time (the tablet polls every few seconds)
SEEN_EVERY = dt.timedelta(minutes=1)


def key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _hint(raw: str) -> str:
    return raw[:8] + "…" + raw[-3:]


def _check_manager(actor: Any, window: Window) -> None:
    if not actor.has_perm(MANAGE):
        raise PermissionDenied(_("You may not set up window evaluators."), code="not_allowed")
    if not in_data_scope(actor, center_id=window.center_id, department_id=window.department_id):
        raise NotFound(_("No such window in your scope."), code="window_not_found")


@transaction.atomic
def device_create(
    *, window: Window, name: str, actor: Any, raw_key: str | None = None
) -> tuple[EvaluatorDevice, str]:
    """A new evaluator for `window`; returns the device and its raw key (shown once).

    `raw_key` is for the demo loader only (a documented key); it must look like a real one."""
    _check_manager(actor, window)
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationFailed(
            _("Name the evaluator (at most %(max)s characters), e.g. “Window 3 tablet”.") % {"max": NAME_MAX},
            code="invalid_device",
            details={"name": [_("Enter a name of at most %(max)s characters.") % {"max": NAME_MAX}]},
        )
    if not window.active:
        raise ValidationFailed(_("The window is not in use."), code="window_inactive")
    raw = raw_key if raw_key is not None else KEY_PREFIX + secrets.token_urlsafe(32)
    if not raw.startswith(KEY_PREFIX) or len(raw) < 24:
        raise ValidationFailed(_("An evaluator key starts with owe_ and is long."), code="invalid_key")
    device = EvaluatorDevice.objects.create(
        window=window,
        name=name,
        key_digest=key_digest(raw),
        key_hint=_hint(raw)[:12],
        created_at=clock.now(),
        created_by=actor,
    )
    audit.record(
        action="evaluator.create",
        obj=device,
        actor=actor,
        after={"window": window.code, "name": name, "hint": device.key_hint},
    )
    return device, raw


@transaction.atomic
def device_revoke(*, device_id: int, actor: Any) -> EvaluatorDevice:
    """Revoke a device: its key no longer opens the evaluator page (idempotent)."""
    device = EvaluatorDevice.objects.select_for_update().select_related("window").filter(pk=device_id).first()
    if device is None:
        raise NotFound(_("No such window evaluator."), code="device_not_found")
    _check_manager(actor, device.window)
    if device.revoked_at is None:
        device.revoked_at = clock.now()
        device.save(update_fields=["revoked_at"])
        audit.record(
            action="evaluator.revoke",
            obj=device,
            actor=actor,
            after={"window": device.window.code, "hint": device.key_hint},
        )
    return device


def device_from_key(key: Any) -> EvaluatorDevice | None:
    """The device of a raw key, or None (not a key, unknown, revoked, window out of use)."""
    if not isinstance(key, str) or not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    device = (
        EvaluatorDevice.objects.select_related("window", "window__center")
        .filter(key_digest=key_digest(key), revoked_at__isnull=True)
        .first()
    )
    if device is None or not device.window.active:
        return None
    return device


def device_seen(device: EvaluatorDevice) -> None:
    """Record that the tablet is alive (at most once a minute)."""
    now = clock.now()
    if device.last_seen_at is None or now - device.last_seen_at >= SEEN_EVERY:
        EvaluatorDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now
