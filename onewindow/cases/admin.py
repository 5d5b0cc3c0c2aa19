"""The case events in the admin: read-only, for the auditor (core.view_auditentry).

Case events are the audit trail of cases (docs/adr/0009-case-events-as-audit.md): one per
transition, append-only, with who, when, from where (data.ip) and what. The auditor reads them
here next to the audit log of everything else, with the ID numbers and phones typed into opinions
and reasons masked (the auditor may not see the applicant's full data).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from onewindow.cases.models import CaseEvent
from onewindow.core.admin import ReadOnlyAdmin
from onewindow.core.masking import mask_free_text, mask_free_text_in

AUDIT_PERMISSION = "core.view_auditentry"


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "case_number", "seq", "action", "from_status", "to_status", "actor_name", "ip"]
    list_filter = ["action", ("at", admin.DateFieldListFilter)]
    search_fields = ["case__number", "case__receipt_number", "actor_name"]
    date_hierarchy = "at"
    list_per_page = 50
    show_full_result_count = False
    list_select_related = ["case"]
    fields = (
        "at",
        "case_number",
        "seq",
        "action",
        "from_status",
        "to_status",
        "actor",
        "actor_name",
        "ip",
        "step",
        "masked_opinion",
        "data_pretty",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseEvent]:
        return super().get_queryset(request).order_by("-at", "-id")

    @admin.display(description=_("case"), ordering="case__number")
    def case_number(self, obj: CaseEvent) -> str:
        return obj.case.number or obj.case.receipt_number

    @admin.display(description=_("IP address"))
    def ip(self, obj: CaseEvent) -> str:
        return str((obj.data or {}).get("ip") or "-")

    @admin.display(description=_("opinion"))
    def masked_opinion(self, obj: CaseEvent) -> str:
        return mask_free_text(obj.opinion)

    @admin.display(description=_("data"))
    def data_pretty(self, obj: CaseEvent) -> str:
        data = mask_free_text_in(obj.data or {})
        return format_html("<pre>{}</pre>", json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(AUDIT_PERMISSION)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(AUDIT_PERMISSION)
