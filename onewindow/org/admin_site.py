"""The admin site for the administrators only: a signed-in account without admin access (a window
clerk, a reviewer ...) gets a clear 403 page instead of the admin's login form.

Which accounts reach the admin is decided by `is_staff`, which the account services set from
the roles (org.roles.ADMIN_SITE_ROLES); what each one sees there is decided by its permissions.
"""

from __future__ import annotations

from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.functional import empty
from django.utils.translation import gettext as _

from onewindow.org.signin_forms import AdminPasswordChangeForm, AdminSignInForm


def _url(name: str, default: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return default


class OneWindowAdminSite(admin.AdminSite):
    # sign-in (issue 12 §1): the password goes through org.signin (lockout, audit), and the
    # admin's own password change (password_change) through user_set_password.
    login_form = AdminSignInForm

    def forbidden(self, request: HttpRequest) -> HttpResponse:
        context = {
            **self.each_context(request),
            "title": _("No access to system administration"),
            "reason": _(
                "Your account (%(username)s) cannot use system administration: it is for the center, "
                "system and security administrators and the auditor. Your work is in the staff pages."
            )
            % {"username": request.user.get_username()},
            "staff_url": _url("web:home", "/"),
            "logout_url": _url("web:logout", ""),
        }
        return TemplateResponse(request, "admin/onewindow_forbidden.html", context, status=403)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            user = request.user
            if (
                user.is_authenticated
                and not self.has_permission(request)
                and request.path != reverse("admin:logout", current_app=self.name)
            ):
                return self.forbidden(request)
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def password_change(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """Django's page with AdminPasswordChangeForm, which saves through user_set_password."""
        request.current_app = self.name  # type: ignore[attr-defined]
        return auth_views.PasswordChangeView.as_view(
            form_class=AdminPasswordChangeForm,
            success_url=reverse("admin:password_change_done", current_app=self.name),
            extra_context={**self.each_context(request), **(extra_context or {})},
            **({"template_name": self.password_change_template} if self.password_change_template else {}),
        )(request)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.method == "GET" and request.user.is_authenticated and not self.has_permission(request):
            return self.forbidden(request)
        return super().login(request, extra_context)


class OneWindowAdminConfig(AdminConfig):
    """Use in INSTALLED_APPS instead of "django.contrib.admin" to get this site directly."""

    default_site = "onewindow.org.admin_site.OneWindowAdminSite"


def install() -> None:
    """Make the default admin site a OneWindowAdminSite (when INSTALLED_APPS still names plain
    "django.contrib.admin"). The site keeps its registrations: only its class changes."""
    site: Any = admin.site
    if site._wrapped is empty:
        site._setup()
    if not isinstance(site._wrapped, OneWindowAdminSite):
        site._wrapped.__class__ = OneWindowAdminSite
