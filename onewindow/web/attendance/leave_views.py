"""The staff leave pages (请假): ask for leave (with my requests below), the approvers' worklist,
one request with its chain, its decisions and the next action for me.

Plain forms and redirects (no JS needed). Every refusal says what to fix; a stale version
(someone else acted first) reloads the page with a message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.attendance import leave, leave_selectors
from onewindow.attendance import leave_rules as rules
from onewindow.attendance.models import LeaveRequest
from onewindow.core import clock
from onewindow.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from onewindow.core.masking import mask_free_text
from onewindow.org.models import User
from onewindow.web.access import forbidden, staff_page
from onewindow.web.cases.common import not_found

NAV = "attendance_mine"
NAV_WORKLIST = "leave_worklist"
ACTIONS = ("approve", "reject", "stand-in", "withdraw")


def _parse_local(value: str) -> dt.datetime | None:
    """A datetime-local input's value (YYYY-MM-DDTHH:MM) as an aware local datetime."""
    try:
        naive = dt.datetime.fromisoformat((value or "").strip()[:19])
    except ValueError:
        return None
    if naive.tzinfo is not None:
        return None
    return naive.replace(tzinfo=clock.zone())


def _colleague(user: Any, pk: str) -> User | None:
    if not (pk or "").isdigit() or len(pk) > 10:
        return None
    return User.objects.filter(pk=int(pk), center_id=user.center_id, is_active=True).first()


def _chains() -> list[dict[str, Any]]:
    return [
        {"length": label, "steps": [str(s.label) for s in rules.CHAINS[value]]}
        for value, label in LeaveRequest.Length.choices
    ]


def _alone_at_window(user: Any) -> bool:
    if not user.window_id:
        return False
    return set(leave.clerks_of(user.window).values_list("pk", flat=True)) == {user.pk}


def _form_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user: Any = request.user
    return {
        "nav_active": NAV,
        "kinds": LeaveRequest.Kind.choices,
        "colleagues": leave.stand_in_candidates(user),
        "chains": _chains(),
        "alone": _alone_at_window(user),
        "mine": list(leave_selectors.my_requests(user)[:50]),
        "values": {},
        "errors": {},
        **extra,
    }


@staff_page()
def leave_request(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.center_id is None:
        return forbidden(request, reason=_("Leave is for the staff of a center."))
    if request.method != "POST":
        return render(request, "web/leave/request.html", _form_context(request))
    post = request.POST
    values: dict[str, Any] = {
        "kind": (post.get("kind") or "")[:10],
        "starts_at": (post.get("starts_at") or "")[:19],
        "ends_at": (post.get("ends_at") or "")[:19],
        "reason": (post.get("reason") or "")[:400],
        "certificate": post.get("certificate") == "on",
        "stand_in": (post.get("stand_in") or "")[:10],
    }
    starts_at, ends_at = _parse_local(values["starts_at"]), _parse_local(values["ends_at"])
    errors: dict[str, list[str]] = {}
    if starts_at is None:
        errors["starts_at"] = [_("Give the date and time the leave starts.")]
    if ends_at is None:
        errors["ends_at"] = [_("Give the date and time the leave ends.")]
    stand_in = _colleague(user, values["stand_in"]) if values["stand_in"] else None
    if values["stand_in"] and stand_in is None:
        errors["stand_in"] = [_("Choose a colleague from the list.")]
    try:
        if errors or starts_at is None or ends_at is None:
            raise ValidationFailed(_("Check the leave request."), details=errors)
        created = leave.leave_request_create(
            user=user,
            kind=values["kind"],
            starts_at=starts_at,
            ends_at=ends_at,
            reason=values["reason"],
            certificate=values["certificate"],
            stand_in=stand_in,
            actor=user,
        )
    except DomainError as exc:
        details = exc.details if isinstance(exc.details, dict) else {}
        context = _form_context(request, values=values, error=exc.message, errors=details)
        return render(request, "web/leave/request.html", context, status=422)
    messages.success(
        request,
        _("Your leave request was sent: it waits for %(stage)s.") % {"stage": created.get_stage_display()},
    )
    return HttpResponseRedirect(reverse("web:leave_detail", args=[created.pk]))


def _stand_in_state(r: LeaveRequest) -> str:
    if r.stand_in_id is not None:
        return "named"
    return "required" if leave.needs_stand_in(r) else "none"


@staff_page()
def leave_worklist(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not any(user.has_perm(p) for p in rules.LEAVE_PERMISSIONS):
        return forbidden(request)
    rows = [
        {"r": r, "reason": mask_free_text(r.reason), "stand_in": _stand_in_state(r)}
        for r in leave_selectors.worklist(user)[:300]
    ]
    return render(request, "web/leave/worklist.html", {"nav_active": NAV_WORKLIST, "rows": rows})


def _detail_context(request: HttpRequest, r: LeaveRequest, **extra: Any) -> dict[str, Any]:
    user: Any = request.user
    view = leave_selectors.leave_view(user, r)
    stages = [s.stage for s in view.chain]
    current = stages.index(r.stage) if r.stage in stages else len(stages)
    decided = r.status != LeaveRequest.Status.PENDING
    chain = [
        {"label": s.label, "state": "done" if i < current else ("current" if i == current else "later")}
        for i, s in enumerate(view.chain)
    ]
    if decided and r.status != LeaveRequest.Status.APPROVED:
        chain = [{**c, "state": "done" if c["state"] == "done" else "skipped"} for c in chain]
    return {
        "nav_active": NAV if user.pk == r.user_id else NAV_WORKLIST,
        "r": r,
        "own": user.pk == r.user_id,
        "view": view,
        "chain": chain,
        "decisions": list(leave_selectors.decisions_of(r)),
        "colleagues": leave.stand_in_candidates(r.user, r.starts_at, r.ends_at)
        if "stand_in" in view.actions
        else [],
        "stand_in_message": leave.stand_in_required_message(r) if view.needs_stand_in else "",
        "errors": {},
        **extra,
    }


@staff_page()
def leave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        r = leave_selectors.request_for(request.user, pk)
    except NotFound as exc:
        return not_found(request, exc.message)
    return render(request, "web/leave/detail.html", _detail_context(request, r))


@require_POST
@staff_page()
def leave_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: Any = request.user
    try:
        r = leave_selectors.request_for(user, pk)
    except NotFound as exc:
        return not_found(request, exc.message)
    if action not in ACTIONS:
        return not_found(request, _("No such action."))
    try:
        version = int((request.POST.get("version") or "0")[:10])
    except ValueError:
        version = 0
    note = (request.POST.get("note") or "")[: leave.NOTE_MAX]
    try:
        if action in ("approve", "reject"):
            leave.leave_decide(request=r, decision=action, note=note, actor=user, version=version)
            done = _("Approved.") if action == "approve" else _("Rejected.")
        elif action == "stand-in":
            colleague = _colleague(user, request.POST.get("stand_in") or "")
            if colleague is None:
                raise ValidationFailed(
                    _("Choose a colleague from the list."), details={"stand_in": [_("Required.")]}
                )
            leave.leave_stand_in_name(request=r, stand_in=colleague, actor=user, version=version)
            done = _("Stand-in named: %(name)s.") % {"name": colleague.display_name}
        else:
            leave.leave_withdraw(request=r, actor=user, version=version)
            done = _("Withdrawn.")
    except Conflict as exc:
        if exc.code != "stand_in_required":
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("web:leave_detail", args=[pk]))
        r.refresh_from_db()
        context = _detail_context(request, r, error=exc.message, error_action=action)
        return render(request, "web/leave/detail.html", context, status=409)
    except DomainError as exc:
        r.refresh_from_db()
        details = exc.details if isinstance(exc.details, dict) else {}
        context = _detail_context(request, r, error=exc.message, errors=details, error_action=action)
        return render(request, "web/leave/detail.html", context, status=exc.status)
    messages.success(request, done)
    return HttpResponseRedirect(reverse("web:leave_detail", args=[pk]))
