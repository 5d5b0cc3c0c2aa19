"""The theme admin: themes are saved by code through `services.theme_save`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from onewindow.catalog import rules, services
from onewindow.catalog.admin.pages import CHANGE_ITEM, VIEW_ITEM
from onewindow.catalog.models import Theme
from onewindow.org.selectors import request_account


# --- themes ---------------------------------------------------------------
class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ("code", "name", "audience", "position")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = self.instance.code if self.instance.pk else data.get("code")
        for error in rules.check_theme({**data, "code": code}):
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return data

    def validate_unique(self) -> None:
        pass  # theme_save creates or updates by code


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    form = ThemeForm
    list_display = ("code", "name", "audience", "position")
    list_editable = ()
    search_fields = ("code", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("code",) if obj is not None else ()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(VIEW_ITEM)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(CHANGE_ITEM)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(CHANGE_ITEM)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Theme, form: Any, change: bool) -> None:
        theme = services.theme_save(
            spec={"code": obj.code, "name": obj.name, "audience": obj.audience, "position": obj.position},
            actor=request_account(request),
        )
        obj.pk = theme.pk
