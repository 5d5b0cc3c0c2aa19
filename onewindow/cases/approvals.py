"""Approvals waiting for someone (待批准): today the extension requests (延期, 第42条) that the
holders of `cases.approve_extension` decide, within their data scope. The worklist shows them
with the days asked, the reason, the requester and the case's clock; the case page shows the
requester that the request waits for approval.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from onewindow.cases import transitions as T
from onewindow.cases.models import Case, CaseExtension
from onewindow.cases.permissions import Actor, has_perm
from onewindow.org.selectors import scope_queryset

# The statuses in which an extension can be decided (the state table's rows).
DECIDABLE = tuple(status for (status, action) in T.TABLE if action == T.APPROVE_EXTENSION)


@dataclass(frozen=True)
class PendingApproval:
    kind: str  # "extension" (later: other approvals)
    extension: CaseExtension
    case: Case
    days: int
    reason: str
    requested_at: dt.datetime
    requester: str


def pending_approvals_for(user: Actor, *, limit: int = 100) -> list[PendingApproval]:
    """Every extension request waiting for `user`: requested, on a case in `user`'s data scope
    whose status allows the decision, for a holder of cases.approve_extension; oldest first."""
    if user is None or not has_perm(user, T.APPROVE_EXTENSION_PERM):
        return []
    rows = _waiting(user).select_related(
        "case", "case__item_version", "case__item_version__item", "requested_by"
    )
    return [
        PendingApproval(
            kind="extension",
            extension=ext,
            case=ext.case,
            days=ext.days,
            reason=ext.reason,
            requested_at=ext.requested_at,
            requester=ext.requested_by.display_name if ext.requested_by else "",
        )
        for ext in rows.order_by("requested_at", "id")[:limit]
    ]


def pending_approval_count(user: Actor) -> int | None:
    """How many requests wait for `user` (the home page's count); None: `user` approves nothing."""
    if user is None or not has_perm(user, T.APPROVE_EXTENSION_PERM):
        return None
    return _waiting(user).count()


def _waiting(user: Actor) -> QuerySet[CaseExtension]:
    qs = CaseExtension.objects.filter(status=CaseExtension.Status.REQUESTED, case__status__in=DECIDABLE)
    return scope_queryset(qs, user, department_field="case__department", center_field="case__center")


def pending_extension(case: Case) -> CaseExtension | None:
    """The case's extension request waiting for approval, if any (shown on the case page)."""
    return (
        CaseExtension.objects.filter(case=case, status=CaseExtension.Status.REQUESTED)
        .select_related("requested_by")
        .order_by("requested_at", "id")
        .first()
    )


__all__ = ["DECIDABLE", "PendingApproval", "pending_approvals_for", "pending_extension"]
