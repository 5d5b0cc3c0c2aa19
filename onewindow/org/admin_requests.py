"""Admin pages for the two-person rule on administrator accounts (三员分立): ask for a change
(add page), list the requests, approve or reject them (actions on the list). The rules live in
`org.admin_changes`; these pages only collect the input and show the services' messages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.core import clock
from onewindow.core.errors import DomainError
from onewindow.org import services
from onewindow.org.admin import ROLE_CHOICES, ServiceAdmin, managed_center_ids
from onewindow.org.admin_changes import role_names
from onewindow.org.duties import refusal_record
from onewindow.org.models import AdminChangeRequest, User
from onewindow.org.selectors import request_account

UNCHANGED = ""
ACTIVE_CHOICES = [(UNCHANGED, _("(unchanged)")), ("1", _("active")), ("0", _("disabled"))]
SCOPE_CHOICES = [(UNCHANGED, _("(unchanged)")), *User.Scope.choices]


class AdminChangeRequestForm(forms.ModelForm):
    change_roles = forms.BooleanField(
        label=_("change the roles"),
        required=False,
        help_text=_("Tick to give the account exactly the roles ticked below (none: no role)."),
    )
    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=ROLE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.ChoiceField(label=_("active"), choices=ACTIVE_CHOICES, required=False)
    data_scope = forms.ChoiceField(label=_("data scope"), choices=SCOPE_CHOICES, required=False)
    full_name = forms.CharField(
        label=_("full name"), required=False, max_length=50, help_text=_("Empty: unchanged.")
    )
    phone = forms.CharField(label=_("phone"), required=False, max_length=20, help_text=_("Empty: unchanged."))

    class Meta:
        model = AdminChangeRequest
        fields = ["target", "kind", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}


def requested_changes(data: dict[str, Any]) -> dict[str, Any]:
    """The `changes` of a request from the add form (empty fields mean "unchanged")."""
    changes: dict[str, Any] = {}
    if data.get("change_roles"):
        changes["roles"] = list(data.get("roles") or [])
    if data.get("is_active") not in (None, UNCHANGED):
        changes["is_active"] = data["is_active"] == "1"
    if data.get("data_scope") not in (None, UNCHANGED):
        changes["data_scope"] = data["data_scope"]
    for field in ("full_name", "phone"):
        if (data.get(field) or "").strip():
            changes[field] = data[field]
    return changes


@admin.register(AdminChangeRequest)
class AdminChangeRequestAdmin(ServiceAdmin):
    form = AdminChangeRequestForm
    error_field_map = {"changes": "change_roles"}
    list_display = [
        "requested_at",
        "target",
        "kind",
        "change_summary",
        "reason",
        "requested_by",
        "state",
        "expires_at",
        "decided_by",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["target__username", "target__full_name", "requested_by__username"]
    list_select_related = ["target", "requested_by", "decided_by"]
    actions = ["approve", "reject"]
    add_fieldsets = [
        (None, {"fields": ["target", "kind", "reason"]}),
        (
            _("Requested change (for “Change the account”)"),
            {"fields": ["change_roles", "roles", "is_active", "data_scope", "full_name", "phone"]},
        ),
    ]
    readonly_fields = [
        "target",
        "kind",
        "change_summary",
        "reason",
        "status",
        "requested_by",
        "requested_at",
        "expires_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return self.add_fieldsets
        return [(None, {"fields": self.readonly_fields})]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    @admin.display(description=_("requested change"))
    def change_summary(self, obj: AdminChangeRequest) -> str:
        if obj.kind == AdminChangeRequest.Kind.PASSWORD_RESET:
            return str(obj.get_kind_display())
        parts = []
        for field, value in sorted(obj.changes.items()):
            shown = role_names(value) or "-" if field == "roles" else value
            parts.append(f"{field}: {shown}")
        return "; ".join(parts)

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj: AdminChangeRequest) -> str:
        if obj.status == AdminChangeRequest.Status.PENDING and obj.expires_at <= clock.now():
            return str(AdminChangeRequest.Status.EXPIRED.label)
        return str(obj.get_status_display())

    def get_queryset(self, request: HttpRequest) -> QuerySet[AdminChangeRequest]:
        return self.limit_centers(request, super().get_queryset(request), field="target__center")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "target":
            ids = managed_center_ids(request.user)
            users = User.objects.filter(is_superuser=False).order_by("username")
            kwargs["queryset"] = users if ids is None else users.filter(center__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("org.view_adminchangerequest")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("org.request_admin_change")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("org.approve_admin_change")

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> AdminChangeRequest:
        return services.admin_change_request(
            target=data["target"],
            actor=request_account(request),
            reason=data.get("reason", ""),
            kind=data.get("kind", ""),
            changes=requested_changes(data),
        )

    def refused(self, request: HttpRequest, obj: Any, error: DomainError) -> None:
        refusal_record(
            actor=request_account(request), user=None, error=error, attempted="admin:request_change"
        )

    @admin.action(description=_("Approve the selected requests"), permissions=["approve"])
    def approve(self, request: HttpRequest, queryset: QuerySet[AdminChangeRequest]) -> HttpResponse | None:
        actor = request_account(request)
        passwords: list[tuple[User, str]] = []
        for change_request in queryset:
            try:
                approved, password = services.admin_change_approve(change_request=change_request, actor=actor)
            except DomainError as exc:
                refusal_record(
                    actor=actor, user=change_request.target, error=exc, attempted="admin:approve_change"
                )
                self.message_user(request, f"{change_request}: {exc.message}", messages.ERROR)
                continue
            self.message_user(request, gettext("Approved and applied: %(request)s") % {"request": approved})
            if password is not None:
                passwords.append((approved.target, password))
        if passwords:
            # Shown once, on this page only: never stored, logged or put in a message cookie.
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("One-time passwords"),
                "passwords": passwords,
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/org/one_time_passwords.html", context)
        return None

    @admin.action(description=_("Reject the selected requests"), permissions=["approve"])
    def reject(self, request: HttpRequest, queryset: QuerySet[AdminChangeRequest]) -> None:
        actor = request_account(request)
        for change_request in queryset:
            try:
                rejected = services.admin_change_reject(change_request=change_request, actor=actor)
            except DomainError as exc:
                self.message_user(request, f"{change_request}: {exc.message}", messages.ERROR)
                continue
            self.message_user(request, gettext("Rejected: %(request)s") % {"request": rejected})
