"""Response headers that every page and API answer carries: the Content-Security-Policy.

The policy (settings.CONTENT_SECURITY_POLICY) allows scripts, styles, fonts, frames' content
and form targets from our own origin only, and no inline script or style: every asset is
vendored and served by whitenoise (docs/security.md, "headers"). An empty setting sends no
policy. A view that needs a narrower or different policy sets the header itself; the middleware
never replaces a header that is already there.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)
HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    """Adds settings.CONTENT_SECURITY_POLICY to every response (read per request, so tests and
    a view's own header can change it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)
        if policy and HEADER not in response:
            response[HEADER] = policy
        return response
