"""The owner's own credentials: change the password, enter the second-factor code, set up the
second factor. `web.credentials.CredentialsMiddleware` sends a held session here."""

from __future__ import annotations

import io
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import password_validators_help_texts
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.core.errors import DomainError
from onewindow.org import services
from onewindow.org.passwords import CHANGE_EXPIRED, CHANGE_SET_BY_OTHER, password_change_due
from onewindow.org.second_factor import (
    confirmed_device,
    pending_device,
    provisioning_uri,
    second_factor_required,
)
from onewindow.web.access import StaffRequest, staff_page
from onewindow.web.credentials import second_factor_settled, settle_second_factor


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("web:home")


def _place_errors(form: forms.Form, exc: DomainError, field_map: dict[str, str]) -> None:
    placed = False
    if isinstance(exc.details, dict):
        for key, problems in exc.details.items():
            field = field_map.get(key, key)
            if field in form.fields:
                for problem in problems:
                    form.add_error(field, str(problem))
                placed = True
    if not placed:
        form.add_error(None, exc.message)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=gettext_lazy("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=gettext_lazy("New password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two new passwords differ; type the same password twice."))
        return cleaned


@staff_page()
def password_change(request: StaffRequest) -> HttpResponse:
    user = request.user
    reason = password_change_due(user)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_own_password(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except DomainError as exc:
            _place_errors(form, exc, {"new_password": "new_password1"})
        else:
            update_session_auth_hash(request, user)  # stay signed in with the new password
            messages.success(request, _("Your password has been changed."))
            return redirect(_next_url(request))
    notice = {
        CHANGE_SET_BY_OTHER: _(
            "Your password was set by an administrator. Choose your own password before you continue."
        ),
        CHANGE_EXPIRED: _("Your password has expired. Choose a new password before you continue."),
    }.get(reason or "", "")
    return render(
        request,
        "web/password_change.html",
        {
            "form": form,
            "notice": notice,
            "rules": password_validators_help_texts(),
            "next": _next_url(request),
            "can_enrol": confirmed_device(user) is None,
        },
        status=422 if request.method == "POST" else 200,
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


@staff_page()
def second_factor(request: StaffRequest) -> HttpResponse:
    """Enter the code of the authenticator app (once per session)."""
    user = request.user
    if second_factor_settled(request, user) or confirmed_device(user) is None:
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            accepted = services.totp_verify(user=user, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
            status = exc.status
        else:
            if accepted:
                settle_second_factor(request, user)
                return redirect(_next_url(request))
            form.add_error(
                "code", _("The code is wrong or was already used; type the 6-digit code your app shows now.")
            )
    if request.method == "POST" and status == 200:
        status = 422
    return render(
        request, "web/second_factor.html", {"form": form, "next": _next_url(request)}, status=status
    )


def _qr_svg(uri: str) -> str:
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", xmldecl=False, svgns=True, scale=5, border=2)
    return out.getvalue().decode("ascii")


@staff_page()
def second_factor_enrol(request: StaffRequest) -> HttpResponse:
    """Set up the second factor: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    if confirmed_device(user) is not None:
        messages.info(request, _("A second factor is already set up for your account."))
        return redirect(_next_url(request))
    device = pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            services.totp_confirm_enrolment(user=user, code=form.cleaned_data["code"])
        except DomainError as exc:
            _place_errors(form, exc, {})
        else:
            settle_second_factor(request, user)
            messages.success(
                request, _("The second factor is set up. You will enter a code at each sign-in.")
            )
            return redirect(_next_url(request))
    if device is None:
        device = services.totp_begin_enrolment(user=user)
    return render(
        request,
        "web/second_factor_enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "secret": device.secret,
            "qr_svg": mark_safe(_qr_svg(provisioning_uri(device, user))),
            "required": second_factor_required(user),
        },
        status=422 if request.method == "POST" else 200,
    )
