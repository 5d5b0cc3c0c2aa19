"""The applicant's account pages: sign in (SMS code, password, the unified identity platform),
sign out, the account (profile, password, enterprises, agents), acting for an enterprise, and the
elderly-friendly mode's switch. Every page works without JavaScript."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.core import clock
from onewindow.core.errors import DomainError, NotFound, ValidationFailed
from onewindow.identity import selectors, services, signin
from onewindow.identity.models import Enterprise
from onewindow.identity.sessions import (
    Applicant,
    current_applicant,
    session_act_for,
    session_sign_in,
    session_sign_out,
)
from onewindow.org.models import Center
from onewindow.portal.templatetags.account import ELDERLY_COOKIE
from onewindow.portal.views.base import guide_page, guide_render

ELDERLY_MAX_AGE = 365 * 24 * 3600


def safe_next(request: HttpRequest, target: str | None, default: str) -> str:
    """`target` when it is a local address of this site, else `default`."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _signin_render(
    request: HttpRequest, center: Center, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    base = {
        "nav_active": "account",
        "oidc_enabled": bool(settings.OIDC_ISSUER),
        "next": safe_next(request, request.POST.get("next") or request.GET.get("next"), ""),
        "code_minutes": settings.APPLICANT_CODE_MINUTES,
    }
    return guide_render(request, "portal/account/signin.html", center, {**base, **context}, status=status)


@guide_page
def signin_page(request: HttpRequest, center: Center) -> HttpResponse:
    """GET: the forms. POST `step`: "send" (a code to the phone), "code" (sign in with it),
    "password" (sign in with phone and password)."""
    if request.method != "POST":
        return _signin_render(
            request, center, {"phone": "", "error": request.session.pop("signin_message", "")}
        )
    step = request.POST.get("step", "")
    phone = (request.POST.get("phone") or "").strip()[:20]
    context: dict[str, Any] = {"phone": phone}
    try:
        if step == "send":
            signin.signin_code_send(phone=phone, request=request)
            context.update(code_sent=True)
            return _signin_render(request, center, context)
        if step == "code":
            person = signin.signin_code_verify(
                phone=phone, code=(request.POST.get("code") or "")[:12], request=request
            )
        elif step == "password":
            person = signin.signin_password(
                phone=phone, password=(request.POST.get("password") or "")[:200], request=request
            )
            context.update(password_tab=True)
        else:
            return _signin_render(request, center, context, status=400)
    except DomainError as exc:
        context.update(error=exc.message, code_sent=step == "code", password_tab=step == "password")
        return _signin_render(request, center, context, status=exc.status)
    session_sign_in(request, person)
    return HttpResponseRedirect(safe_next(request, request.POST.get("next"), reverse("portal:account")))


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    session_sign_out(request)
    return HttpResponseRedirect(reverse("portal:home"))


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _account_context(request: HttpRequest) -> dict[str, Any]:
    applicant = current_applicant(request)
    assert applicant is not None
    person = applicant.person
    held = list(selectors.enterprises_held(person))
    return {
        "nav_active": "account",
        "applicant": applicant,
        "person": person,
        "actable": selectors.enterprises_for(person),
        "held": [(e, list(selectors.agents_of(e))) for e in held],
        "id_types": [
            ("resident_id", _("Resident ID card")),
            ("passport", _("Passport")),
            ("hk_macao_permit", _("Hong Kong / Macao permit")),
            ("other", _("Other")),
        ],
        "verified": person.real_name_level >= 4,
        "today_date": clock.today(),
    }


# what an account form posts (`form`): the service it calls
def _profile(request: HttpRequest, applicant: Applicant) -> str:
    p = request.POST
    services.person_profile_update(
        person=applicant.person,
        name=p.get("name", "")[:200],
        id_type=p.get("id_type", "")[:20],
        id_number=p.get("id_number", "")[:40],
    )
    return _("Your details are saved.")


def _password(request: HttpRequest, applicant: Applicant) -> str:
    signin.person_password_set(person=applicant.person, password=request.POST.get("password", "")[:200])
    return _("Your password is set. You can now sign in with your phone number and password.")


def _enterprise(request: HttpRequest, applicant: Applicant) -> str:
    services.enterprise_register(
        person=applicant.person,
        name=request.POST.get("name", "")[:300],
        uscc=request.POST.get("uscc", "")[:40],
    )
    return _("The enterprise is registered; you are its legal representative.")


def _agent(request: HttpRequest, applicant: Applicant) -> str:
    p = request.POST
    start, end = _date(p.get("valid_from")), _date(p.get("valid_until"))
    if start is None or end is None:
        details = {}
        if start is None:
            details["valid_from"] = [_("Enter a date (YYYY-MM-DD).")]
        if end is None:
            details["valid_until"] = [_("Enter a date (YYYY-MM-DD).")]
        raise ValidationFailed(_("Check the authorisation."), details=details)
    services.agent_authorize(
        person=applicant.person,
        enterprise_id=_int(p.get("enterprise")),
        phone=p.get("phone", "")[:20],
        valid_from=start,
        valid_until=end,
        note=p.get("note", "")[:300],
    )
    return _("The agent is authorised.")


def _revoke(request: HttpRequest, applicant: Applicant) -> str:
    services.agent_revoke(person=applicant.person, authorization_id=_int(request.POST.get("authorization")))
    return _("The authorisation is revoked.")


def _int(value: str | None) -> int:
    """A row id from a form field; 0 (no row) for anything else, huge numbers too."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else 0


FORMS = {
    "profile": _profile,
    "password": _password,
    "enterprise": _enterprise,
    "agent": _agent,
    "revoke": _revoke,
}


@guide_page
def account(request: HttpRequest, center: Center) -> HttpResponse:
    applicant = current_applicant(request)
    if applicant is None:
        return HttpResponseRedirect(reverse("portal:signin") + "?next=" + reverse("portal:account"))
    status = 200
    context: dict[str, Any] = {}
    if request.method == "POST":
        form = request.POST.get("form", "")
        handler = FORMS.get(form)
        if handler is None:
            status = 400
        else:
            try:
                message = handler(request, applicant)
            except DomainError as exc:
                status = exc.status
                context.update(
                    error=exc.message, error_form=form, details=exc.details or {}, posted=request.POST
                )
            else:
                request.session["account_message"] = message
                return HttpResponseRedirect(reverse("portal:account"))
    context["message"] = request.session.pop("account_message", "")
    return guide_render(
        request, "portal/account/account.html", center, {**_account_context(request), **context}, status
    )


@require_POST
def act_for(request: HttpRequest) -> HttpResponse:
    """Act for oneself (`enterprise` empty) or for an enterprise one holds or is an agent of."""
    applicant = current_applicant(request)
    back = safe_next(request, request.POST.get("next"), reverse("portal:account"))
    if applicant is None:
        return HttpResponseRedirect(reverse("portal:signin"))
    enterprise_id = _int(request.POST.get("enterprise"))
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first() if enterprise_id else None
    try:
        if enterprise_id and enterprise is None:
            raise NotFound(_("No such enterprise."))
        session_act_for(request, enterprise)
    except DomainError as exc:
        request.session["account_message"] = exc.message
        return HttpResponseRedirect(reverse("portal:account"))
    return HttpResponseRedirect(back)


def elderly(request: HttpRequest) -> HttpResponse:
    """Switch the elderly-friendly mode (长辈模式) on or off (`on` = 1 / 0, else toggle), kept in a
    cookie, and go back to `next` (a local address only)."""
    source = request.POST if request.method == "POST" else request.GET
    wanted = source.get("on")
    current = request.COOKIES.get(ELDERLY_COOKIE) == "1"
    on = (wanted == "1") if wanted in ("0", "1") else not current
    response = HttpResponseRedirect(safe_next(request, source.get("next"), reverse("portal:home")))
    if on:
        response.set_cookie(ELDERLY_COOKIE, "1", max_age=ELDERLY_MAX_AGE, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(ELDERLY_COOKIE, samesite="Lax")
    return response
