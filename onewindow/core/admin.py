"""The audit trail in the admin: read-only, for accounts with core.view_auditentry, which only the
audit administrator's role grants (org/roles.py; the role groups cannot be edited in the admin and
the system check org.E002 reports any other holder). The auditor reads every entry, the other
administrators' included; the system and security administrators see nothing of it (三员分立)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from onewindow.core import audit, audit_export, clock
from onewindow.core.models import AuditEntry

AUDIT_PERMISSION = "core.view_auditentry"


def _pretty(value: Any) -> str:
    if value is None:
        return "-"
    return format_html("<pre>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin that shows rows and never adds, changes or deletes them (append-only records)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "ip", "action", "object_type", "object_id", "object_repr"]
    list_filter = [
        "action",
        "object_type",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("at", admin.DateFieldListFilter),
    ]
    search_fields = ["object_repr", "object_id", "actor_name", "action", "ip"]
    date_hierarchy = "at"
    list_per_page = 50
    show_full_result_count = False
    fields = (
        "at",
        "actor",
        "actor_name",
        "ip",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before_pretty",
        "after_pretty",
    )
    readonly_fields = fields
    # the auditor exports what the filters (time, actor, action …) selected: masked, and audited
    actions = ["export_csv", "export_xlsx"]

    @admin.action(description=_("Export the selected entries to CSV (masked)"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> HttpResponse:
        return self._export(request, queryset, "csv")

    @admin.action(description=_("Export the selected entries to Excel (masked)"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> HttpResponse:
        return self._export(request, queryset, "xlsx")

    def _export(self, request: HttpRequest, queryset: QuerySet[AuditEntry], kind: str) -> HttpResponse:
        entries = list(queryset.order_by("at", "id"))
        body = audit_export.to_csv(entries) if kind == "csv" else audit_export.to_xlsx(entries)
        filters = {k: v for k, v in request.GET.items() if k not in ("o", "p")}
        audit.record(
            action="audit.export",
            object_type="core.auditentry",
            object_repr=f"{kind}: {len(entries)}",
            after={"format": kind, "rows": len(entries), "filters": filters},
            actor=request.user,
        )
        content_type = audit_export.CSV_CONTENT_TYPE if kind == "csv" else audit_export.XLSX_CONTENT_TYPE
        response = HttpResponse(body, content_type=content_type)
        name = f"audit-{clock.now():%Y%m%d-%H%M%S}.{kind}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @admin.display(description=_("before"))
    def before_pretty(self, obj: AuditEntry) -> str:
        return _pretty(obj.before)

    @admin.display(description=_("after"))
    def after_pretty(self, obj: AuditEntry) -> str:
        return _pretty(obj.after)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(AUDIT_PERMISSION)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(AUDIT_PERMISSION)
