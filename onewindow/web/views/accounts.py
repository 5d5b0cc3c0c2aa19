"""Signing in and out of the staff pages (Django's auth views with our templates).

The password is checked by org.signin (StaffSignInForm): one lockout for every way in and a
limit per client address, so a password cannot be guessed by trying many in a row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from onewindow.org.signin_forms import StaffSignInForm

# The page's status when the sign-in was refused before the password was looked at.
_REFUSED_STATUS = {"rate_limited": 429, "account_locked": 423}


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True
    authentication_form = StaffSignInForm

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        codes = {error.code for error in form.errors.as_data().get("__all__", [])}
        for code, status in _REFUSED_STATUS.items():
            if code in codes:
                response.status_code = status
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5); back to the sign-in page (LOGOUT_REDIRECT_URL) with a message."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You have signed out."))
        return response
