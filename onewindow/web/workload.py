"""The staff member's own workload on the home page (工作台): what waits for them.

Counts only; the links go to the worklist filtered the same way (scope=post, level=yellow|red).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from onewindow.cases import selectors as case_selectors
from onewindow.cases.facts import Level
from onewindow.cases.models import CaseExtension
from onewindow.cases.transitions import APPROVE_EXTENSION_PERM
from onewindow.org.selectors import scope_queryset


@dataclass(frozen=True)
class Workload:
    to_do: int  # active steps the user may handle (the worklist's "Steps I can handle")
    yellow: int  # of those, on a yellow card
    red: int  # of those, on a red card
    approvals: int | None  # extension requests waiting for a decision; None: not an approver


def pending_extension_count(user: Any) -> int | None:
    """Extension requests (延期申请) in the user's data scope waiting for a decision, or None when
    the account cannot approve extensions. (Replaced by cases.approvals.pending_approvals_for.)"""
    if not user.has_perm(APPROVE_EXTENSION_PERM):
        return None
    requests = CaseExtension.objects.filter(status=CaseExtension.Status.REQUESTED)
    return scope_queryset(
        requests, user, department_field="case__department", center_field="case__center"
    ).count()


def workload_for(user: Any) -> Workload:
    counts = (
        case_selectors.worklist(user=user, scope="post")
        .order_by()
        .aggregate(
            to_do=Count("pk"),
            yellow=Count("pk", filter=Q(level=Level.YELLOW)),
            red=Count("pk", filter=Q(level=Level.RED)),
        )
    )
    return Workload(
        to_do=counts["to_do"] or 0,
        yellow=counts["yellow"] or 0,
        red=counts["red"] or 0,
        approvals=pending_extension_count(user),
    )
