"""What the case and bundle-case endpoints share: the caller, the view permission, local times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.core.errors import PermissionDenied

VIEW_CASE = "cases.view_case"


def local_time(value: dt.datetime | None) -> dt.datetime | None:
    """Aware datetimes are answered in the center's time zone (ISO 8601 with its offset)."""
    return timezone.localtime(value) if value is not None else None


def caller(request: HttpRequest) -> Any:
    """The staff member the bearer token authenticated."""
    return request.auth  # type: ignore[attr-defined]


def require_view(user: Any) -> None:
    if not user.has_perm(VIEW_CASE):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": VIEW_CASE})
