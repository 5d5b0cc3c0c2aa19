"""Signing in and out of the staff pages (Django's auth views with our templates).

Sign-in attempts are limited per username and address, so a password cannot be guessed by
trying many in a row from one place.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from onewindow.core import ratelimit
from onewindow.core.middleware import client_ip

LOGIN_ATTEMPTS = 10  # per username and address ...
LOGIN_WINDOW_SECONDS = 15 * 60  # ... within this many seconds


def login_rate_key(request: HttpRequest) -> str:
    username = (request.POST.get("username") or "").strip().lower()[:150]
    return f"web.login:{username}:{client_ip(request)}"


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        allowed = ratelimit.check_rate(
            key=login_rate_key(request), limit=LOGIN_ATTEMPTS, window_seconds=LOGIN_WINDOW_SECONDS
        )
        if not allowed:
            form = self.get_form_class()(request)  # unbound: the password is not checked at all
            form.initial = {"username": request.POST.get("username", "")}
            context = self.get_context_data(
                form=form,
                rate_limited=_(
                    "Too many sign-in attempts for this account from your address. "
                    "Wait %(minutes)d minutes and try again, or ask the security administrator."
                )
                % {"minutes": LOGIN_WINDOW_SECONDS // 60},
            )
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        # A successful sign-in clears the count, so earlier typos do not lock the user out later.
        ratelimit.reset_rate(key=login_rate_key(self.request), window_seconds=LOGIN_WINDOW_SECONDS)
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5); back to the sign-in page (LOGOUT_REDIRECT_URL) with a message."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You have signed out."))
        return response
