from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")


class MessageTemplate(models.Model):
    """The text of one kind of message, with {placeholders} filled from the caller's context."""

    code = models.CharField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("The name code uses to send this message, e.g. case_accepted. Never change it."),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.SMS)
    text = models.TextField(
        _("text"),
        help_text=_("Placeholders in braces, e.g. {case_number}; write {{ and }} for literal braces."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive template sends nothing (the message is skipped).")
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class OutboxMessage(models.Model):
    """One message waiting to be sent, or its delivery record once sent (the transactional outbox)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will retry")
        DEAD = "dead", _("given up")

    created_at = models.DateTimeField(_("created at"), db_index=True)
    template_code = models.CharField(_("template"), max_length=50)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.SMS)
    recipient = models.CharField(
        _("recipient"), max_length=40, help_text=_("The full phone number (shown masked).")
    )
    body = models.TextField(_("text"))
    related_type = models.CharField(_("related object type"), max_length=64, blank=True)
    related_id = models.CharField(_("related object id"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["related_type", "related_id"], name="outbox_related_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.template_code} #{self.pk}"
