"""The items' own pre-review clocks in the admin (saves go through the service, audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onewindow.online.models import PreReviewSetting
from onewindow.online.prereview import prereview_setting_save


@admin.register(PreReviewSetting)
class PreReviewSettingAdmin(admin.ModelAdmin):
    list_display = ["center", "item_code", "days"]
    list_filter = ["center"]
    search_fields = ["item_code"]

    def save_model(self, request: HttpRequest, obj: PreReviewSetting, form: Any, change: bool) -> None:
        saved = prereview_setting_save(
            actor=request.user,  # type: ignore[arg-type]
            center_id=obj.center_id,
            item_code=obj.item_code,
            days=obj.days,
        )
        obj.pk = saved.pk
