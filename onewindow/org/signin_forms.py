"""The sign-in forms of the staff pages and the admin, and the admin's own password change: each
goes through the org services (org.signin, user_set_password), never around them."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError

from onewindow.core.errors import RateLimited
from onewindow.org.accounts import user_set_password
from onewindow.org.signin import AccountLocked, InvalidCredentials, signin_authenticate


class _SignInMixin:
    """Replaces AuthenticationForm.clean: the password is checked by org.signin (lockout,
    per-address limit, audit) for this form's channel."""

    channel = "web"
    cleaned_data: dict[str, Any]
    request: Any
    user_cache: Any

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = signin_authenticate(
                    request=self.request, username=username, password=password, channel=self.channel
                )
            except InvalidCredentials:
                raise self.get_invalid_login_error() from None  # type: ignore[attr-defined]
            except (AccountLocked, RateLimited) as exc:
                raise ValidationError(exc.message, code=exc.code) from None
            self.confirm_login_allowed(self.user_cache)  # type: ignore[attr-defined]
        return self.cleaned_data


class StaffSignInForm(_SignInMixin, AuthenticationForm):
    channel = "web"


class AdminSignInForm(_SignInMixin, AdminAuthenticationForm):
    channel = "admin"


class AdminPasswordChangeForm(PasswordChangeForm):
    """The admin's "change password" page: through user_set_password, so the account's other
    sessions and its API tokens end (the admin keeps this session: update_session_auth_hash)."""

    def save(self, commit: bool = True) -> Any:
        return user_set_password(user=self.user, password=self.cleaned_data["new_password1"], actor=self.user)
