"""Reading leave requests: my requests, the worklist of the stages an account may decide, one
request with its decisions (attendance.leave for the rules of who may see and do what)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from onewindow.attendance import leave_rules as rules
from onewindow.attendance.leave import allowed_actions, may_view, needs_stand_in
from onewindow.attendance.leave_rules import Stage, Status, Step
from onewindow.attendance.models import LeaveDecision, LeaveRequest
from onewindow.core.errors import NotFound
from onewindow.org.models import User

_RELATED = ("user", "user__department", "window", "window__department", "stand_in")


def _staff(user: Any) -> bool:
    return isinstance(user, User) and user.is_active and user.center_id is not None


def my_requests(user: Any) -> QuerySet[LeaveRequest]:
    if not _staff(user):
        return LeaveRequest.objects.none()
    return (
        LeaveRequest.objects.filter(user_id=user.pk).select_related(*_RELATED).order_by("-starts_at", "-pk")
    )


def worklist(user: Any) -> QuerySet[LeaveRequest]:
    """The pending requests of the account's center waiting for a stage it may decide (never its
    own), oldest start first."""
    if not _staff(user):
        return LeaveRequest.objects.none()
    stages = Q(pk__in=[])
    if user.has_perm(rules.APPROVE_SHORT):
        stages |= Q(stage=Stage.GROUP_LEADER)
    if user.has_perm(rules.APPROVE):
        stages |= Q(stage=Stage.SUPERVISION)
    if user.has_perm(rules.SIGN_DEPARTMENT) and user.department_id is not None:
        home = Q(user__department_id=user.department_id) | Q(
            user__department__isnull=True, window__department_id=user.department_id
        )
        stages |= Q(stage=Stage.HOME_DEPARTMENT) & home
    return (
        LeaveRequest.objects.filter(stages, center_id=user.center_id, status=Status.PENDING)
        .exclude(user_id=user.pk)
        .select_related(*_RELATED)
        .order_by("starts_at", "pk")
    )


def request_for(user: Any, pk: int) -> LeaveRequest:
    """One request `user` may see; NotFound otherwise (the same answer for both)."""
    request = LeaveRequest.objects.select_related(*_RELATED).filter(pk=pk).first()
    if request is None or not may_view(user, request):
        raise NotFound(_("No leave request with this number that you may see."), code="leave_not_found")
    return request


def decisions_of(request: LeaveRequest) -> QuerySet[LeaveDecision]:
    return LeaveDecision.objects.filter(request=request).select_related("actor").order_by("at", "pk")


@dataclass(frozen=True)
class LeaveView:
    request: LeaveRequest
    chain: tuple[Step, ...]
    step: Step | None
    needs_stand_in: bool
    actions: list[str]


def leave_view(user: Any, request: LeaveRequest) -> LeaveView:
    return LeaveView(
        request=request,
        chain=rules.chain_of(request),
        step=rules.step_of(request),
        needs_stand_in=request.status == Status.PENDING and needs_stand_in(request),
        actions=allowed_actions(user, request),
    )
