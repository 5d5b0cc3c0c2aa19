"""The supervision pages. Thin: reads through onewindow.supervision.selectors, writes through
onewindow.supervision.services (and the sweep); a domain error becomes a message on the page.

Supervisor pages need `supervision.supervise`; the 督办/问责 page shows the orders and reminders
addressed to the user (the step's handler and post, the department chief when nobody else could
act: supervision.routing), within the user's own scope; appeals need
`supervision.appeal_accountability`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.cases import selectors as case_selectors
from onewindow.catalog import selectors as catalog_selectors
from onewindow.core import clock
from onewindow.core.errors import (
    Conflict,
    DomainError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from onewindow.org.selectors import departments_for, staff_for
from onewindow.supervision import selectors, services, sweep
from onewindow.supervision.models import AccountabilityRecord, SupervisionOrder
from onewindow.web.access import forbidden, staff_page
from onewindow.web.supervision.bundles import board_bundles
from onewindow.web.supervision.forms import (
    AppealForm,
    DecideForm,
    FlagFilterForm,
    ForecastForm,
    NoteForm,
    OrderIssueForm,
    OrderReplyForm,
    RuleForm,
    next_friday_evening,
)

SUPERVISE = "supervision.supervise"
APPEAL = "supervision.appeal_accountability"
FLAG_LIMIT = 200


def error_text(exc: DomainError) -> str:
    """A domain error as one readable line: its message and every field message. Field keys and
    other details (status codes) are for API clients: the page shows only translated texts."""
    parts = [exc.message]
    details = exc.details
    if isinstance(details, dict):
        for problems in details.values():
            if isinstance(problems, list | tuple):
                parts.extend(str(p) for p in problems if str(p) not in parts)
    return " ".join(parts)


def _domain_error(request: HttpRequest, exc: DomainError) -> None:
    if isinstance(exc, PermissionDenied):
        prefix = _("Not allowed:")
    elif isinstance(exc, Conflict):
        prefix = _("Someone else changed this first; reload and try again:")
    elif isinstance(exc, InvalidTransition):
        prefix = _("Not possible in the current state:")
    elif isinstance(exc, NotFound):
        prefix = _("Not found:")
    else:
        prefix = _("Please correct:")
    messages.error(request, f"{prefix} {error_text(exc)}")


def _form_errors(request: HttpRequest, form: Any) -> None:
    problems = [
        f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}".strip()
        for f, e in form.errors.items()
    ]
    messages.error(request, _("Please correct:") + " " + "; ".join(problems))


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        target = reverse(default)
    return HttpResponseRedirect(target)


# --- console -------------------------------------------------------------------------------------


def _flag_rows(request: HttpRequest) -> tuple[FlagFilterForm, list[Any]]:
    """The open flags in the user's scope, narrowed by the filter form (an invalid form shows
    its errors and the unfiltered list)."""
    form = FlagFilterForm(request.GET or None)
    criteria: dict[str, Any] = {}
    age: int | None = None
    if form.is_valid():
        data = form.cleaned_data
        if data["level"]:
            criteria["level"] = data["level"]
        if data["department"]:
            criteria["department_code"] = data["department"].strip()
        if data["item"]:
            criteria["item_code"] = data["item"].strip()
        if data["handler"]:
            # Only accounts in the supervisor's own scope; an unknown name matches nothing.
            criteria["handler"] = staff_for(request.user).filter(username=data["handler"].strip()).first()
            if criteria["handler"] is None:
                return form, []
        age = data["age"]
    rows = selectors.flags(user=request.user, **criteria).select_related(
        "case__item_version", "step__assignee", "step__handler"
    )
    if age:
        rows = rows.filter(raised_at__lte=clock.now() - dt.timedelta(days=age))
    return form, list(rows[:FLAG_LIMIT])


@dataclass
class BoardGroup:
    key: str
    title: str
    rows: list[selectors.LevelCounts]
    steps: bool = False  # counts steps (个环节), else cases (件)


@dataclass
class BoardView:
    """The board as the template shows it: the center's totals, then one table per grouping."""

    totals: selectors.LevelCounts
    step_totals: selectors.LevelCounts
    groups: list[BoardGroup]


def _board(user: Any, now: dt.datetime) -> BoardView:
    board = selectors.board(user=user, now=now)

    def rows(counts: dict[str, selectors.LevelCounts]) -> list[selectors.LevelCounts]:
        for code, row in counts.items():
            # "-": the cases without a window, i.e. the online applications (网上申报)
            row.label = row.label or (_("Online (no window)") if code == "-" else code)
        return sorted(counts.values(), key=lambda r: (-r.red, -r.yellow, r.label))

    return BoardView(
        totals=board.cases,
        step_totals=board.steps,
        groups=[
            BoardGroup("cases-department", _("Cases by department"), rows(board.cases_by_department)),
            BoardGroup("cases-window", _("Cases by window"), rows(board.cases_by_window)),
            BoardGroup("cases-item", _("Cases by service item"), rows(board.cases_by_item)),
            BoardGroup("steps-department", _("Steps by department"), rows(board.steps_by_department), True),
            BoardGroup("steps-item", _("Steps by service item"), rows(board.steps_by_item), True),
        ],
    )


@staff_page(SUPERVISE)
def console(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    filter_form, flags = _flag_rows(request)
    context = {
        "nav_active": "supervision",
        "board": _board(request.user, now),
        "bundles": board_bundles(request.user, now),
        "filter_form": filter_form,
        "flags": flags,
        "flag_limit": FLAG_LIMIT,
        "departments": list(departments_for(request.user).filter(active=True).order_by("position", "code")),
        "open_orders": list(
            selectors.orders(user=request.user).exclude(status=SupervisionOrder.Status.CLOSED)[:50]
        ),
        "deemed": list(selectors.recent_deemed_approvals(user=request.user, limit=20)),
        "anomalies": list(selectors.anomalies(user=request.user)[:50]),
        "issue_form": OrderIssueForm(),
        "forecast_form": ForecastForm(initial={"at": next_friday_evening(now)}),
        "now": now,
    }
    return render(request, "web/supervision/console.html", context)


@staff_page(SUPERVISE)
def board_counts(request: HttpRequest) -> HttpResponse:
    """The board's counts alone: polled by htmx every 30 seconds."""
    now = clock.now()
    return render(
        request,
        "web/supervision/_board.html",
        {"board": _board(request.user, now), "now": now},
    )


@staff_page(SUPERVISE)
@require_POST
def sweep_now(request: HttpRequest) -> HttpResponse:
    try:
        result = sweep.sweep()
    except DomainError as exc:
        _domain_error(request, exc)
    else:
        summary = result.summary()
        messages.success(request, _("Sweep done. %(summary)s") % {"summary": summary or _("nothing new")})
    return HttpResponseRedirect(reverse("web:supervision"))


# --- forecast ------------------------------------------------------------------------------------


@staff_page(SUPERVISE)
def forecast(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    result = None
    at = None
    if "at" in request.GET:
        form = ForecastForm(request.GET)
        if form.is_valid():
            at = form.cleaned_data["at"]
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
            try:
                result = selectors.forecast(user=request.user, at=at)
            except DomainError as exc:
                form.add_error("at", error_text(exc))
    else:
        form = ForecastForm(initial={"at": next_friday_evening(now)})
    context = {"nav_active": "supervision", "form": form, "result": result, "at": at, "now": now}
    return render(request, "web/supervision/forecast.html", context)


# --- rules ---------------------------------------------------------------------------------------


@staff_page(SUPERVISE)
def rules(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    user: Any = request.user
    rule = None
    if rule_id is not None:
        rule = selectors.rules(user=user).filter(pk=rule_id).first()
        if rule is None:
            return render(
                request,
                "web/404.html",
                {"message": _("No such rule."), "nav_active": "supervision"},
                status=404,
            )
    status = 200
    if request.method == "POST":
        form = RuleForm(request.POST, instance=rule)
        if form.is_valid():
            try:
                data = form.cleaned_data
                code = (data["item"] or "").strip()
                item = catalog_selectors.item_for_edit(code, center=user.center) if code else None
                saved = services.supervision_rule_save(
                    actor=user,
                    item=item,
                    yellow_days=data["yellow_days"],
                    yellow_percent=data["yellow_percent"],
                    supervise_instant=data["supervise_instant"],
                    remind_by_sms=data["remind_by_sms"],
                )
            except DomainError as exc:
                _domain_error(request, exc)
                if isinstance(exc, NotFound):
                    form.add_error("item", exc.message)
                elif isinstance(exc, ValidationFailed) and isinstance(exc.details, dict):
                    for field, problems in exc.details.items():
                        target = field if field in form.fields else None
                        for p in problems if isinstance(problems, list | tuple) else [problems]:
                            form.add_error(target, str(p))
                status = 422
            else:
                messages.success(request, _("Rule saved."))
                return HttpResponseRedirect(reverse("web:supervision_rule", args=[saved.pk]))
        else:
            _form_errors(request, form)
            status = 422
    else:
        form = RuleForm(instance=rule)
    context = {
        "nav_active": "supervision",
        "rules": list(selectors.rules(user=user).order_by("item_id", "pk")),
        "rule": rule,
        "form": form,
    }
    return render(request, "web/supervision/rules.html", context, status=status)


# --- supervision orders --------------------------------------------------------------------------


def _order(request: HttpRequest, order_id: int) -> SupervisionOrder | None:
    return selectors.orders(user=request.user).filter(pk=order_id).first()


@staff_page(SUPERVISE)
def orders(request: HttpRequest) -> HttpResponse:
    status_filter = request.GET.get("status") or None
    if status_filter not in {None, *SupervisionOrder.Status.values}:
        status_filter = None
    if request.method == "POST":
        form = OrderIssueForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = case_selectors.case_by_number(data["case"].strip(), user=request.user)
                order = services.order_issue(
                    case=case, actor=request.user, demand=data["demand"], reply_days=data["reply_days"]
                )
            except DomainError as exc:
                _domain_error(request, exc)
            else:
                messages.success(
                    request,
                    _("Supervision order issued on %(number)s; reply by %(due)s.")
                    % {
                        "number": case.display_number,
                        "due": timezone.localtime(order.reply_due_at).strftime("%Y-%m-%d %H:%M"),
                    },
                )
                return _back(request, "web:supervision_orders")
        else:
            _form_errors(request, form)
        return _back(request, "web:supervision_orders")
    initial = {"case": request.GET.get("case", "")[:40]}
    context = {
        "nav_active": "supervision",
        "orders": list(selectors.orders(user=request.user, status=status_filter)[:300]),
        "status_filter": status_filter or "",
        "statuses": SupervisionOrder.Status.choices,
        "issue_form": OrderIssueForm(initial=initial),
        "note_form": NoteForm(),
        "now": clock.now(),
    }
    return render(request, "web/supervision/orders.html", context)


def _order_action(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    default = "web:supervision_orders" if action != "reply" else "web:supervision_mine"
    order = _order(request, order_id)
    if order is None:
        messages.error(request, _("No such supervision order in your scope."))
        return _back(request, default)
    form: Any = OrderReplyForm(request.POST) if action == "reply" else NoteForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, default)
    data = form.cleaned_data
    try:
        if action == "reply":
            services.order_reply(order=order, actor=request.user, reply=data["reply"])
            done = _("Reply sent.")
        elif action == "close":
            services.order_close(order=order, actor=request.user, note=data["note"])
            done = _("Supervision order closed.")
        else:
            services.order_send_back(order=order, actor=request.user, note=data["note"])
            done = _("Supervision order sent back for a new reply.")
    except DomainError as exc:
        _domain_error(request, exc)
    else:
        messages.success(request, done)
    return _back(request, default)


@staff_page(SUPERVISE)
@require_POST
def order_close(request: HttpRequest, order_id: int) -> HttpResponse:
    return _order_action(request, order_id, "close")


@staff_page(SUPERVISE)
@require_POST
def order_send_back(request: HttpRequest, order_id: int) -> HttpResponse:
    return _order_action(request, order_id, "send_back")


@staff_page()
@require_POST
def order_reply(request: HttpRequest, order_id: int) -> HttpResponse:
    """Reply to an order: whoever it went to (the service checks), a chief or a supervisor."""
    return _order_action(request, order_id, "reply")


# --- accountability records ----------------------------------------------------------------------


def _record(request: HttpRequest, record_id: int) -> AccountabilityRecord | None:
    return selectors.accountability_records(user=request.user).filter(pk=record_id).first()


@staff_page(SUPERVISE)
def accountability(request: HttpRequest) -> HttpResponse:
    status_filter = request.GET.get("status") or None
    if status_filter not in {None, *AccountabilityRecord.Status.values}:
        status_filter = None
    context = {
        "nav_active": "supervision",
        "records": list(selectors.accountability_records(user=request.user, status=status_filter)[:300]),
        "status_filter": status_filter or "",
        "statuses": AccountabilityRecord.Status.choices,
        "decide_form": DecideForm(),
    }
    return render(request, "web/supervision/accountability.html", context)


def _record_action(request: HttpRequest, record_id: int, action: str) -> HttpResponse:
    default = "web:supervision_accountability" if action == "decide" else "web:supervision_mine"
    record = _record(request, record_id)
    if record is None:
        messages.error(request, _("No such accountability record in your scope."))
        return _back(request, default)
    form: Any = DecideForm(request.POST) if action == "decide" else AppealForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, default)
    data = form.cleaned_data
    try:
        if action == "decide":
            services.accountability_decide(
                record=record, actor=request.user, uphold=data["uphold"], note=data["note"]
            )
            done = _("Decision recorded.")
        else:
            services.accountability_appeal(record=record, actor=request.user, reason=data["reason"])
            done = _("Appeal submitted.")
    except DomainError as exc:
        _domain_error(request, exc)
    else:
        messages.success(request, done)
    return _back(request, default)


@staff_page(SUPERVISE)
@require_POST
def accountability_decide(request: HttpRequest, record_id: int) -> HttpResponse:
    return _record_action(request, record_id, "decide")


@staff_page(APPEAL)
@require_POST
def accountability_appeal(request: HttpRequest, record_id: int) -> HttpResponse:
    return _record_action(request, record_id, "appeal")


# --- reminders (on the worklist) ----------------------------------------------------------------


@staff_page()
@require_POST
def reminder_read(request: HttpRequest, reminder_id: int) -> HttpResponse:
    """Mark a reminder read (the worklist's button); only the people it is addressed to may."""
    try:
        services.reminder_mark_read(reminder=reminder_id, actor=request.user)
    except DomainError as exc:
        _domain_error(request, exc)
    return _back(request, "web:worklist")


# --- the department's page -----------------------------------------------------------------------


# who may open "orders and accountability": whoever a reminder or an order can go to
MINE_PERMISSIONS = (APPEAL, "cases.handle_step", "cases.accept_case")


@staff_page()
def mine(request: HttpRequest) -> HttpResponse:
    """督办/问责: the open supervision orders addressed to the user (the step's handler and post,
    the department chief when nobody else could act), the accountability records (a chief: the
    department's, with the appeal form; others: their own) and the reminders."""
    user: Any = request.user
    if not any(user.has_perm(p) for p in MINE_PERMISSIONS):
        return forbidden(request)
    records = selectors.accountability_records(user=user)
    if not user.has_perm(APPEAL):
        records = records.filter(person=user)
    context = {
        "nav_active": "supervision_mine",
        "orders": list(selectors.orders_for(user, open_only=True)[:200]),
        "records": list(records[:200]),
        "reminders": list(selectors.reminders_for(user)[:50]),
        "reply_form": OrderReplyForm(),
        "appeal_form": AppealForm(),
        "now": clock.now(),
    }
    return render(request, "web/supervision/mine.html", context)
