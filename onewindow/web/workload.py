"""The staff member's own workload on the home page (工作台): what waits for them.

Counts only; the links go to the worklist filtered the same way (scope=post, level=yellow|red).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from onewindow.cases import selectors as case_selectors
from onewindow.cases.approvals import pending_approval_count
from onewindow.cases.facts import Level


@dataclass(frozen=True)
class Workload:
    to_do: int  # active steps the user may handle (the worklist's "Steps I can handle")
    yellow: int  # of those, on a yellow card
    red: int  # of those, on a red card
    approvals: int | None  # extension requests waiting for a decision; None: not an approver


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
        approvals=pending_approval_count(user),
    )
