"""The worklist (待办) and the case search list (办件查询)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from onewindow.cases import numbers, selectors
from onewindow.cases.approvals import pending_approvals_for
from onewindow.cases.facts import STATUS_LABELS, Level
from onewindow.cases.models import Status
from onewindow.core import clock
from onewindow.org.selectors import departments_for
from onewindow.web.access import staff_page
from onewindow.web.cases.common import (
    OPEN_CLOCK,
    PAGE_SIZE,
    VIEW_CASE,
    WORKLIST_LIMIT,
    days_left,
)

# --- worklist ------------------------------------------------------------------------------------

LEVELS = {"yellow": Level.YELLOW, "red": Level.RED}
APPROVAL_LIMIT = 100


@staff_page(VIEW_CASE)
def worklist(request: HttpRequest) -> HttpResponse:
    from onewindow.supervision import selectors as supervision_selectors

    user: Any = request.user
    reminder_limit = 20
    scope = request.GET.get("scope") or "post"
    if scope not in ("post", "mine", "department"):
        scope = "post"
    overdue = request.GET.get("overdue") == "1"
    level = request.GET.get("level") or ""
    if level not in LEVELS:
        level = ""
    active = selectors.worklist(user=user, scope=scope, overdue=True if overdue else None)
    if level:  # the supervision level of the step: the home page's yellow and red links
        active = active.filter(level=LEVELS[level])
    steps = list(active[:WORKLIST_LIMIT])
    now = clock.now()
    today = clock.today()
    rows = [
        {
            "step": step,
            "case": step.case,
            "days_left": days_left(step.due_at, today),
            "overdue": bool(step.due_at and step.due_at < now),
            "status_label": STATUS_LABELS.get(step.case.status, step.case.status),
        }
        for step in steps
    ]
    approvals = [
        {
            "approval": a,
            "days_left": days_left(a.case.due_at, today),
            "overdue": bool(a.case.due_at and a.case.due_at < now),
        }
        for a in pending_approvals_for(user, limit=APPROVAL_LIMIT)
    ]
    context = {
        "nav_active": "worklist",
        "rows": rows,
        # extension requests (延期) waiting for the user's approval
        "approvals": approvals,
        "approval_limit": APPROVAL_LIMIT,
        # reminders (催办) to the user's posts or to the user, until read or the step is done
        "reminders": supervision_selectors.worklist_reminders(user, limit=reminder_limit),
        "reminder_limit": reminder_limit,
        "now": now,
        "scope": scope,
        "overdue": overdue,
        "level": level,
        "levels": [("", _("Any level")), ("yellow", _("Yellow card")), ("red", _("Red card"))],
        "limit": WORKLIST_LIMIT,
        "scopes": [
            ("post", _("Steps I can handle")),
            ("mine", _("Assigned to me")),
            ("department", _("All active steps in my scope")),
        ],
    }
    return render(request, "web/cases/worklist.html", context)


# --- case search list --------------------------------------------------------------------------------


@staff_page(VIEW_CASE)
def case_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    get = request.GET
    filters: dict[str, Any] = {
        "q": (get.get("q") or "").strip()[:40],
        "applicant": (get.get("applicant") or "").strip()[:50],
        "status": (get.get("status") or "").strip(),
        "item": (get.get("item") or "").strip()[:40],
        "department": (get.get("department") or "").strip()[:20],
        "overdue": get.get("overdue") == "1",
        "green_channel": get.get("green_channel") == "1",
    }
    departments = list(departments_for(user).filter(active=True).order_by("position", "code"))
    criteria: dict[str, Any] = {}
    if filters["status"] in Status.values:
        criteria["status"] = filters["status"]
    if filters["item"]:
        criteria["item_code"] = filters["item"]
    if filters["applicant"]:
        criteria["applicant"] = filters["applicant"]
    if filters["overdue"]:
        criteria["overdue"] = True
    if filters["green_channel"]:
        criteria["green_channel"] = True
    by_code = {d.code: d for d in departments}
    if filters["department"]:
        department = by_code.get(filters["department"])
        criteria["department"] = department.pk if department else -1
    qs = selectors.cases_for(user, criteria)
    if filters["q"]:
        value = numbers.normalise(filters["q"])
        qs = qs.filter(Q(number__startswith=value) | Q(receipt_number__startswith=value))
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(get.get("page"))
    now = clock.now()
    rows = [
        {
            "case": case,
            "status_label": STATUS_LABELS.get(case.status, case.status),
            "overdue": bool(case.due_at and case.status in OPEN_CLOCK and case.due_at < now),
        }
        for case in page.object_list
    ]
    query = get.copy()
    query.pop("page", None)
    context = {
        "nav_active": "cases",
        "rows": rows,
        "page": page,
        "filters": filters,
        "filtered": any(filters.values()),
        "departments": departments,
        "statuses": [(value, STATUS_LABELS.get(value, label)) for value, label in Status.choices],
        "query": query.urlencode(),
    }
    template = "web/cases/list.html"
    if getattr(request, "htmx", False) and not request.htmx.boosted:  # type: ignore[attr-defined]
        template += "#case_results"
    return render(request, template, context)
