"""Holds a signed-in session until its credentials are in order (等保 身份鉴别, issue 12 §1):

1. an account with a second factor enters a code (`web:second_factor`) once per session;
2. a password set by someone else, or expired, is changed (`web:password_change`);
3. an account that must use a second factor and has none sets one up (`web:second_factor_enrol`).

Until then every page, the admin site included, sends the session to the page of the step; only
those pages, signing out, the language switch and static files get through. Once the second
factor is settled for the session (verified, enrolled, or not needed) the session remembers it
(SECOND_FACTOR_SESSION_KEY), so the usual request costs no query beyond reading the account.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_htmx.http import HttpResponseClientRedirect

from onewindow.org.models import User
from onewindow.org.passwords import password_change_due
from onewindow.org.second_factor import confirmed_device, second_factor_required

SECOND_FACTOR_SESSION_KEY = "ow_second_factor_user"

VERIFY = "web:second_factor"
CHANGE = "web:password_change"
ENROL = "web:second_factor_enrol"

# The pages a held session may still open (by URL name).
OPEN_VIEWS = frozenset({VERIFY, CHANGE, ENROL, "web:logout", "admin:logout", "set_language", "favicon"})


def second_factor_settled(request: HttpRequest, user: User) -> bool:
    return request.session.get(SECOND_FACTOR_SESSION_KEY) == user.pk


def settle_second_factor(request: HttpRequest, user: User) -> None:
    """The session passed the second factor (or needs none): remember it until sign-out."""
    request.session[SECOND_FACTOR_SESSION_KEY] = user.pk


def pending_step(request: HttpRequest, user: User) -> str | None:
    """The URL name of the page the session must go through first, or None."""
    required = False
    if not second_factor_settled(request, user):
        if confirmed_device(user) is not None:
            return VERIFY
        required = second_factor_required(user)
    if password_change_due(user) is not None:
        return CHANGE
    if not second_factor_settled(request, user):
        if required:
            return ENROL
        settle_second_factor(request, user)
    return None


def _is_open(request: HttpRequest) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        return resolve(request.path_info).view_name in OPEN_VIEWS
    except Resolver404:
        return False


class CredentialsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _is_open(request):
            return self.get_response(request)
        step = pending_step(request, user)
        if step is None:
            return self.get_response(request)
        url = f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)
