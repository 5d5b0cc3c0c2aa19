"""Checks shared by the org services (`structure`, `accounts`, `tokens`): the actor's permission
and center, codes, required text, phone numbers, and the audited save of one row.

Every check that finds a problem adds a message to `errors` (field name -> messages);
`raise_if_errors` turns them into one ValidationFailed, so a form shows every problem at once.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from onewindow.core import audit
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.org.models import User
from onewindow.org.selectors import center_subtree_ids

CODE_RE = re.compile(r"^[A-Z0-9]+$")
POST_CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
PHONE_RE = re.compile(r"^[0-9+\-() ]{5,20}$")


def require(actor: User | None, permission: str, message: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(message)


def require_center_access(actor: User | None, center_id: int | None) -> None:
    """An actor with a center may act on that center and the centers below it; center_id None
    (a top-level center, or an account without a center) needs a deployment-level actor."""
    own_center_id = actor.center_id if actor is not None else None
    if not own_center_id:
        return
    if center_id is None or center_id not in center_subtree_ids(own_center_id):
        raise PermissionDenied(_("This is outside the centers your account manages."))


def upper_code(value: str | None) -> str:
    return (value or "").strip().upper()


def check_code(errors: dict[str, list[str]], code: str, max_length: int) -> None:
    if not code:
        errors.setdefault("code", []).append(_("The code is required."))
    elif not CODE_RE.match(code):
        errors.setdefault("code", []).append(_("Use upper-case letters and digits only."))
    elif len(code) > max_length:
        errors.setdefault("code", []).append(
            _("At most %(n)d characters.") % {"n": max_length},
        )


def check_required(errors: dict[str, list[str]], field: str, value: str | None, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(value) > max_length:
        errors.setdefault(field, []).append(_("At most %(n)d characters.") % {"n": max_length})
    return value


def check_phone(errors: dict[str, list[str]], value: str | None, field: str = "phone") -> str:
    value = (value or "").strip()
    if value and not PHONE_RE.match(value):
        errors.setdefault(field, []).append(_("Digits only (a leading + and hyphens are allowed)."))
    return value


def raise_if_errors(errors: dict[str, list[str]], message: str) -> None:
    if errors:
        raise ValidationFailed(message, details=errors)


def code_taken(queryset: QuerySet[Any], code: str, current: Model | None) -> bool:
    """Whether another row of `queryset` (not `current`) already has `code`."""
    return (
        bool(code)
        and queryset.filter(code=code).exclude(pk=current.pk if current is not None else -1).exists()
    )


def write_audited(
    *, entity: str, current: Model | None, target: Model, values: dict[str, Any], actor: User | None
) -> Any:
    """Set `values` on `target`, save it, and record `<entity>.create` or `<entity>.update` with
    the row before (None when new) and after."""
    before = audit.snapshot(current) if current is not None else None
    for name, value in values.items():
        setattr(target, name, value)
    target.save()
    audit.record(
        action=f"{entity}.{'create' if current is None else 'update'}",
        obj=target,
        before=before,
        after=audit.snapshot(target),
        actor=actor,
    )
    return target
