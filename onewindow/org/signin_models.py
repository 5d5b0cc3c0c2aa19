"""What the one sign-in lockout keeps (org.signin): failed attempts and locks, in the database so
that every process counts the same tries and a lock survives a restart (ADR 0021)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInFailure(models.Model):
    """One failed sign-in, whichever channel it came through. `username` is the name tried,
    normalised (stripped, lower case), also when no account has it."""

    username = models.CharField(_("username"), max_length=150)
    ip = models.CharField(_("address"), max_length=45, blank=True)
    channel = models.CharField(_("channel"), max_length=10)
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        indexes = [
            models.Index(fields=["username", "at"], name="org_signinfail_user_at"),
            models.Index(fields=["ip", "at"], name="org_signinfail_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.ip} {self.at:%Y-%m-%d %H:%M:%S}"


class SignInLock(models.Model):
    """A username locked until `locked_until` after too many failures (known or not)."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    locked_at = models.DateTimeField(_("locked at"))
    locked_until = models.DateTimeField(_("locked until"), db_index=True)

    class Meta:
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")

    def __str__(self) -> str:
        return f"{self.username} → {self.locked_until:%Y-%m-%d %H:%M}"
