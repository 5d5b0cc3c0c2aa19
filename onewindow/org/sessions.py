"""Staff and admin sessions end after SESSION_IDLE_MINUTES without a request and
SESSION_ABSOLUTE_HOURS after sign-in (issue 12 §1); sign-ins and sign-outs are audited.

`SessionTimeoutMiddleware` sits in the web chain below the authentication middleware (the API
chain has no sessions: bearer tokens end through org.signin.account_access_end). When it signs
someone out it records why (signin.timeout) and leaves a message that the sign-in page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from onewindow.core import audit, clock

SIGNED_IN_AT = "ow_signed_in_at"  # session keys: POSIX seconds
SEEN_AT = "ow_seen_at"
# The last-seen time is written at most once a minute: writing the session on every request
# would cost a database write per page for a precision nobody needs.
SEEN_RESOLUTION_SECONDS = 60
# A background refresh (the supervision board polls every 30 seconds) sends this header: it is not
# activity, or an open board would keep an unattended session alive for ever.
POLL_HEADER = "X-OW-Poll"


def channel_of(request: HttpRequest | None) -> str:
    if request is None:
        return "web"
    try:
        admin_root = reverse("admin:index")
    except NoReverseMatch:
        return "web"
    return "admin" if request.path.startswith(admin_root) else "web"


def expired(session: Any, now: float) -> str:
    """ "idle", "absolute" or "" (still valid) for a signed-in session at `now`."""
    started = session.get(SIGNED_IN_AT)
    seen = session.get(SEEN_AT)
    if not isinstance(started, int | float) or not isinstance(seen, int | float):
        return ""  # a session from before these keys: stamped below, counted from now
    if now - seen > settings.SESSION_IDLE_MINUTES * 60:
        return "idle"
    if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
        return "absolute"
    return ""


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = clock.now().timestamp()
        reason = expired(request.session, now)
        if not reason:
            _touch(request, now)
            return self.get_response(request)
        _sign_out(request, reason)
        response = self.get_response(request)
        if request.headers.get("HX-Request") == "true":
            response["HX-Refresh"] = "true"  # htmx reloads the page: the sign-in page, not a fragment
        return response


def _touch(request: HttpRequest, now: float) -> None:
    session = request.session
    if not isinstance(session.get(SIGNED_IN_AT), int | float):
        session[SIGNED_IN_AT] = now
    seen = session.get(SEEN_AT)
    activity = request.headers.get(POLL_HEADER) != "1"
    if not isinstance(seen, int | float) or (activity and now - seen >= SEEN_RESOLUTION_SECONDS):
        session[SEEN_AT] = now


def _sign_out(request: HttpRequest, reason: str) -> None:
    request.ow_signout_reason = reason  # type: ignore[attr-defined]  # read by on_logged_out
    logout(request)
    if reason == "idle":
        message = _("You were signed out after %(minutes)d minutes without activity. Sign in again.") % {
            "minutes": settings.SESSION_IDLE_MINUTES
        }
    else:
        message = _("You were signed out %(hours)d hours after signing in. Sign in again.") % {
            "hours": settings.SESSION_ABSOLUTE_HOURS
        }
    messages.warning(request, message)


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """user_logged_in: the session's clocks start now."""
    if request is not None and hasattr(request, "session"):
        now = clock.now().timestamp()
        request.session[SIGNED_IN_AT] = now
        request.session[SEEN_AT] = now


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """user_logged_out: audit the sign-out (signin.logout) or the timeout (signin.timeout)."""
    if user is None or not getattr(user, "pk", None):
        return
    reason = getattr(request, "ow_signout_reason", "")
    audit.record(
        action="signin.timeout" if reason else "signin.logout",
        obj=user,
        actor=user,
        after={"channel": channel_of(request), **({"reason": reason} if reason else {})},
    )
