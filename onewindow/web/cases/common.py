"""What the staff case pages share: permission names, page sizes, the conflict message and
small helpers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from onewindow.calendar import selectors as calendar_selectors
from onewindow.cases import clock as case_clock
from onewindow.cases import selectors
from onewindow.cases.facts import CLOCK_RUNNING
from onewindow.cases.models import Case, CasePause
from onewindow.core.errors import NotFound, ValidationFailed

VIEW_CASE = "cases.view_case"
ACCEPT_CASE = "cases.accept_case"
PAGE_SIZE = 30
WORKLIST_LIMIT = 300
PAUSE_LABELS = dict(CasePause.Kind.choices)
OPEN_CLOCK = frozenset(CLOCK_RUNNING)


def conflict_message() -> str:
    return _(
        "This case was changed by someone else; the page has been reloaded. "
        "Check its current state and try again."
    )


def not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "web/404.html", {"message": message, "nav_active": "cases"}, status=404)


def case_or_none(request: HttpRequest, number: str) -> Case | None:
    try:
        return selectors.case_by_number(number, user=request.user)
    except (NotFound, ValidationFailed):
        return None


def days_left(due_at: Any, today: Any) -> int | None:
    if due_at is None:
        return None
    try:
        return calendar_selectors.count_working_days(today, case_clock.local_date(due_at))
    except ValidationFailed:
        return None


def case_url(case: Case) -> str:
    return reverse("web:case", args=[case.display_number])
