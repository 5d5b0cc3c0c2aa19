"""The window delegation admin (窗口授权): granting through `delegations.window_delegation_grant`,
revoking with an action through `window_delegation_revoke` (both audited); rows are never edited
or deleted (a revoked delegation stays as history)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.catalog.admin.pages import center_id_of, run_each
from onewindow.catalog.delegations import (
    DELEGATE_WINDOW,
    delegation_problems,
    window_delegation_grant,
    window_delegation_revoke,
)
from onewindow.catalog.models import ServiceItem, WindowDelegation
from onewindow.org.models import Window
from onewindow.org.selectors import request_account

VIEW_DELEGATION = "catalog.view_windowdelegation"
SHOWN = ("window", "item", "active", "granted_by", "granted_at", "revoked_by", "revoked_at", "note")


class DelegationForm(forms.ModelForm):
    class Meta:
        model = WindowDelegation
        fields = ("window", "item", "note")

    def __init__(self, *args: Any, center_id: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        window_field, item_field = self.fields["window"], self.fields["item"]
        if isinstance(window_field, forms.ModelChoiceField) and isinstance(
            item_field, forms.ModelChoiceField
        ):
            window_field.queryset = Window.objects.filter(center_id=center_id, active=True)
            item_field.queryset = ServiceItem.objects.filter(
                center_id=center_id, published_version__isnull=False
            ).select_related("published_version")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        window, item = data.get("window"), data.get("item")
        if window is not None and item is not None:
            problems = delegation_problems(window=window, item=item, note=data.get("note") or "")
            for field, messages in problems.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data

    def validate_unique(self) -> None:
        pass  # granting an active delegation again returns it unchanged


@admin.register(WindowDelegation)
class WindowDelegationAdmin(admin.ModelAdmin):
    form = DelegationForm
    list_display = SHOWN
    list_filter = ("active", "window")
    search_fields = ("item__code", "item__published_version__name", "window__code", "window__name")
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[WindowDelegation]:
        return (
            super()
            .get_queryset(request)
            .filter(window__center_id=center_id_of(request))
            .select_related("window", "item", "item__published_version", "granted_by", "revoked_by")
        )

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        center_id = center_id_of(request)

        class CenterForm(form):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, center_id=center_id, **kw)

        return CenterForm

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return SHOWN
        return ()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(VIEW_DELEGATION) or request.user.has_perm(DELEGATE_WINDOW)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(DELEGATE_WINDOW)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(DELEGATE_WINDOW)

    def save_model(self, request: HttpRequest, obj: WindowDelegation, form: Any, change: bool) -> None:
        saved = window_delegation_grant(
            actor=request_account(request), window=obj.window, item=obj.item, note=obj.note
        )
        obj.pk = saved.pk
        obj.granted_at = saved.granted_at
        obj.granted_by = saved.granted_by

    @admin.action(description=_("Revoke the selected delegations"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[WindowDelegation]) -> None:
        actor = request_account(request)
        run_each(
            request,
            queryset.filter(active=True),
            lambda d: window_delegation_revoke(actor=actor, delegation=d),
            gettext("%(object)s: revoked."),
        )
