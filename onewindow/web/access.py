"""Access to staff pages: every page needs a signed-in account; most need one permission too.

A signed-in user without the permission gets a 403 page in the staff layout that says which
right is missing, instead of Django's bare "403 Forbidden".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from onewindow.org.models import User

View = Callable[..., HttpResponse]


class StaffRequest(HttpRequest):
    """The request a staff view sees: a signed-in account (checked by `staff_page`) and the
    htmx details set by django-htmx's middleware."""

    user: User
    htmx: HtmxDetails


def forbidden(request: HttpRequest, *, reason: str = "") -> HttpResponse:
    """The staff 403 page."""
    return render(
        request,
        "web/403.html",
        {"reason": reason or _("Your account does not have the right to open this page.")},
        status=403,
    )


def staff_page(permission: str | None = None) -> Callable[[View], View]:
    """Require a signed-in, active account (redirect to the login page) and, when given,
    `permission` ("app_label.codename"), else answer 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not user.is_active:
                return redirect_to_login(request.get_full_path())
            if permission is not None and not user.has_perm(permission):
                return forbidden(request)
            return view(request, *args, **kwargs)

        wrapped.required_permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorate
