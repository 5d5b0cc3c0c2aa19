"""Single sign-on with the province's unified identity platform by OpenID Connect (ADR 0028),
when OIDC_ISSUER is set: Authlib's Django client does discovery, the authorisation-code flow
with state and nonce kept in the session, the token request and the id_token's checks (RS256
signature against the platform's JWKS, issuer, audience, expiry, nonce). The claims map to a
`Person` in `identity.services.person_from_oidc` (level 5)."""

from __future__ import annotations

from typing import Any

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from joserfc.errors import JoseError

from onewindow.core.errors import DomainError
from onewindow.identity.services import person_from_oidc
from onewindow.identity.sessions import session_sign_in
from onewindow.portal.account.views import safe_next

NAME = "province"
SCOPES = "openid profile phone"
SESSION_NEXT = "applicant_oidc_next"


def _client() -> Any:
    """A client for the configured platform (settings are read on each sign-in, so a change of
    OIDC_* needs no restart of the client registry)."""
    oauth = OAuth()
    issuer = settings.OIDC_ISSUER.rstrip("/")
    oauth.register(
        name=NAME,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPES, "timeout": 10},
    )
    return oauth.create_client(NAME)


def oidc_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the platform's sign-in page."""
    if not settings.OIDC_ISSUER:
        return HttpResponseRedirect(reverse("portal:signin"))
    request.session[SESSION_NEXT] = safe_next(request, request.GET.get("next"), "")
    redirect_uri = request.build_absolute_uri(reverse("portal:oidc_callback"))
    return _client().authorize_redirect(request, redirect_uri)  # type: ignore[no-any-return]


def _failed(request: HttpRequest, message: str) -> HttpResponse:
    request.session["signin_message"] = message
    return HttpResponseRedirect(reverse("portal:signin"))


def oidc_callback(request: HttpRequest) -> HttpResponse:
    """The platform sends the browser back here with a code: exchange it, check the id_token,
    sign the person in."""
    if not settings.OIDC_ISSUER:
        return HttpResponseRedirect(reverse("portal:signin"))
    client = _client()
    try:
        token = client.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if not claims.get("phone_number"):
            extra = dict(client.userinfo(token=token))
            if extra.get("sub") == claims.get("sub"):
                claims = {**extra, **claims}
    except (AuthlibBaseError, JoseError, ValueError, KeyError):  # refused, forged, malformed
        return _failed(request, _("Sign-in through the unified identity platform failed. Try again."))
    except OSError:
        return _failed(request, _("The unified identity platform cannot be reached. Try again later."))
    try:
        person = person_from_oidc(claims=claims)
    except DomainError as exc:
        return _failed(request, exc.message)
    target = request.session.pop(SESSION_NEXT, "") or reverse("portal:account")
    session_sign_in(request, person)
    return HttpResponseRedirect(target)
