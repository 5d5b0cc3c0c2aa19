"""Credentials other than the current password: the history of earlier password hashes and the
TOTP second factor. Written only by `org.passwords` and `org.second_factor`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordHistory(models.Model):
    """One earlier password of an account, as its hash (never the password). The last
    `PASSWORD_HISTORY` hashes are kept; a new password may not be one of them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("earlier password")
        verbose_name_plural = _("earlier passwords")
        ordering = ["user", "-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="org_pwhistory_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class TotpDevice(models.Model):
    """An account's TOTP authenticator (RFC 6238, 6 digits, 30 s). `secret` is a SECRET: whoever
    reads it can make valid codes. It is never shown after enrolment, never audited or logged,
    and database backups must be protected like the password hashes.

    `confirmed_at` is empty while enrolment waits for the first code; `last_used_step` is the time
    step of the last accepted code, so a code is accepted only once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="totp_device",
    )
    secret = models.CharField(_("secret"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("last used time step"), null=True, blank=True)

    class Meta:
        verbose_name = _("second-factor device")
        verbose_name_plural = _("second-factor devices")

    def __str__(self) -> str:
        return str(self.user_id)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
