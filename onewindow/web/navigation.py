"""The staff navigation registry: one list, one line per entry.

An entry is shown to a user who holds its permission (`user.has_perm`); roles are never named
here. A later app adds its page with one line in `NAV`, at the marked slot, e.g.

    NavEntry("cases", _("Worklist"), "web:cases", "cases.view_case"),

An entry whose URL does not resolve (its app is not installed yet) is left out silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class NavEntry:
    key: str  # stable identifier; a page marks itself active with `nav_active = key`
    label: Promise | str
    url_name: str
    # "app_label.codename", or a tuple of them (any one will do); None: every signed-in user
    permission: str | tuple[str, ...] | None = None
    staff_only: bool = False  # the Django admin needs `is_staff` as well as model permissions


NAV: list[NavEntry] = [
    NavEntry("home", _("Workbench"), "web:home"),
    NavEntry("catalog", _("Service catalog"), "web:catalog", "catalog.view_serviceitem"),
    NavEntry("windows", _("Windows"), "web:windows", "catalog.view_serviceitem"),
    # --- slot: cases worklist (cases.view_case) ------------------------------------------
    NavEntry("worklist", _("Worklist"), "web:worklist", "cases.view_case"),
    NavEntry("cases", _("Case search"), "web:cases", "cases.view_case"),
    NavEntry("intake", _("Window intake"), "web:intake", "cases.accept_case"),
    NavEntry("pickup", _("Results for pickup"), "web:pickup", "cases.deliver_case"),
    NavEntry("bundle_intake", _("Bundle intake (一件事)"), "web:bundle_intake", "cases.accept_case"),
    NavEntry("bundles", _("Bundle cases"), "web:bundle_cases", "cases.view_case"),
    # --- the online hall (issue 14) -------------------------------------------------------
    NavEntry("prereview", _("Online pre-review"), "web:prereview_queue", "online.prereview_application"),
    NavEntry(
        "consultations",
        _("Online consultations"),
        "web:consultation_queue",
        "consultations.reply_consultation",
    ),
    NavEntry(
        "appointments",
        pgettext_lazy("staff navigation", "Appointments"),
        "web:appointments",
        "appointments.check_in_booking",
    ),
    NavEntry("applicant_verify", _("Verify an applicant"), "web:applicant_verify", "identity.verify_person"),
    # --- evaluation (issue 15): the evaluation pages, phone call-backs, window evaluators --------
    NavEntry("evaluations", _("Evaluations"), "web:evaluations", "feedback.view_evaluations"),
    NavEntry(
        "evaluation_callback", _("Phone call-back"), "web:evaluation_callback", "feedback.record_callback"
    ),
    NavEntry(
        "evaluator_devices", _("Window evaluators"), "web:evaluator_devices", "feedback.manage_evaluator"
    ),
    # --- evaluation (issue 15): the rectification of 差评 -------------------------------------
    NavEntry(
        "rectifications",
        _("Rectification of bad ratings"),
        "web:rectifications",
        ("feedback.handle_rectification", "feedback.review_rectification"),
    ),
    # --- complaints (issue 15) -------------------------------------------------------------
    NavEntry(
        "complaints",
        _("Complaints"),
        "web:complaints",
        ("complaints.register_complaint", "complaints.handle_complaint", "complaints.judge_complaint"),
    ),
    # --- the hall (issue 16): the window console, the queue, window status, attendance ---------
    NavEntry("queue_console", _("Queue calling"), "web:queue_console", "hall.call_ticket"),
    NavEntry("queue_overview", _("Queue and windows"), "web:queue_overview", "hall.view_queue"),
    NavEntry("queue_figures", _("Queue figures"), "web:queue_figures", "hall.view_queue"),
    NavEntry("hall_notices", _("Hall screens and notices"), "web:hall_notices", "hall.manage_hall"),
    NavEntry("attendance_mine", _("My attendance and leave"), "web:attendance_mine"),
    NavEntry(
        "leave_worklist",
        _("Leave approvals"),
        "web:leave_worklist",
        ("attendance.approve_short_leave", "attendance.sign_department_leave", "attendance.approve_leave"),
    ),
    NavEntry("attendance", _("Attendance"), "web:attendance", "attendance.view_attendance"),
    NavEntry("patrol", _("Duty patrol log"), "web:patrol", "attendance.log_patrol"),
    # --- slot: supervision board (supervision.supervise) ---------------------------------
    NavEntry("supervision", _("Electronic supervision"), "web:supervision", "supervision.supervise"),
    NavEntry(
        "supervision_mine",
        _("Orders and accountability"),
        "web:supervision_mine",
        # orders go to the step's handler and post, so handlers and clerks read them too
        ("supervision.appeal_accountability", "cases.handle_step", "cases.accept_case"),
    ),
    NavEntry("calendar", _("Working-day calendar"), "web:calendar", "calendar.view_calendaryear"),
    # --- slot: statistics and reports ----------------------------------------------------
    NavEntry("admin", _("System administration"), "admin:index", staff_only=True),
    NavEntry("audit", _("Audit log"), "admin:core_auditentry_changelist", "core.view_auditentry"),
    NavEntry("case_events", _("Case events"), "admin:cases_caseevent_changelist", "core.view_auditentry"),
]


@dataclass(frozen=True)
class NavLink:
    key: str
    label: str
    url: str
    active: bool


def allowed(entry: NavEntry, user: Any) -> bool:
    """Whether `user` may see `entry` (by permission, never by role name)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if entry.staff_only and not user.is_staff:
        return False
    if entry.permission is None:
        return True
    needed = (entry.permission,) if isinstance(entry.permission, str) else entry.permission
    return any(user.has_perm(permission) for permission in needed)


def nav_for(user: Any, *, active: str = "") -> list[NavLink]:
    """The navigation links `user` may see, in registry order; `active` is the current page's key."""
    links: list[NavLink] = []
    for entry in NAV:
        if not allowed(entry, user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        links.append(NavLink(entry.key, str(entry.label), url, entry.key == active))
    return links


def entry(key: str) -> NavEntry:
    """The registry entry with `key` (KeyError when unknown)."""
    for candidate in NAV:
        if candidate.key == key:
            return candidate
    raise KeyError(key)
