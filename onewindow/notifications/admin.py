"""Admin: message templates are editable (through the service, so every change is audited);
the outbox is read-only and shows phone and ID numbers masked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from onewindow.core.admin import ReadOnlyAdmin
from onewindow.core.errors import ValidationFailed
from onewindow.core.masking import mask_free_text, mask_phone
from onewindow.notifications import rendering, services
from onewindow.notifications.models import MessageTemplate, OutboxMessage


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["code", "name", "channel", "text", "active"]

    def clean_text(self) -> str:
        text = self.cleaned_data.get("text") or ""
        try:
            rendering.placeholders(text)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from exc
        return text


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ["code", "name", "channel", "active", "updated_at"]
    list_filter = ["channel", "active"]
    search_fields = ["code", "name", "text"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The code is what the program sends by: fixed once the template exists.
        return ["code", "updated_at"] if obj is not None else ["updated_at"]

    def save_model(self, request: HttpRequest, obj: MessageTemplate, form: Any, change: bool) -> None:
        saved = services.message_template_save(
            code=obj.code,
            text=obj.text,
            name=obj.name,
            channel=obj.channel,
            active=obj.active,
            actor=request.user,
        )
        obj.pk = saved.pk
        obj.updated_at = saved.updated_at

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switch a template off instead: code refers to it by its code


_OUTBOX_FIELDS = (
    "created_at",
    "template_code",
    "channel",
    "masked_recipient",
    "masked_body",
    "related_type",
    "related_id",
    "status",
    "attempts",
    "next_attempt_at",
    "last_error",
    "sent_at",
)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "template_code",
        "masked_recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "template_code", "channel"]
    search_fields = ["template_code", "related_id"]
    date_hierarchy = "created_at"
    fields = _OUTBOX_FIELDS
    readonly_fields = _OUTBOX_FIELDS

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj: OutboxMessage) -> str:
        return mask_phone(obj.recipient)

    @admin.display(description=_("text"))
    def masked_body(self, obj: OutboxMessage) -> str:
        return mask_free_text(obj.body)
