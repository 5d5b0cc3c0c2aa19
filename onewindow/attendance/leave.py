"""Leave requests (请假) and their approval chain: the services, the only writers of
`LeaveRequest` and `LeaveDecision`. The rules as data are in `attendance.leave_rules`.

* `leave_request_create` — a request (pending at the chain's first stage);
* `leave_stand_in_name` — name (or change) the stand-in (代岗) of a pending request;
* `leave_decide` — approve or reject at the current stage; the last stage's approval approves;
* `leave_withdraw` — the person withdraws a pending request.

Each change is one transaction with its append-only `LeaveDecision` row; a change of state is a
conditional UPDATE on (pk, version, status): a stale version is Conflict `version_conflict`.

The stand-in rule: a request of half a day or more whose window has exactly one active clerk
(the person) cannot be approved at any stage until a stand-in is named (Conflict
`stand_in_required`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from onewindow.attendance import leave_rules as rules
from onewindow.attendance.leave_rules import Decision, Kind, Length, Stage, Status
from onewindow.attendance.models import LeaveDecision, LeaveRequest
from onewindow.core import clock, context
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed
from onewindow.org.models import User, Window

REASON_MAX = 300
NOTE_MAX = 300
ACTIVE = (Status.PENDING, Status.APPROVED)


# -- who is who -----------------------------------------------------------------------------------


def _staff(user: Any) -> bool:
    return isinstance(user, User) and user.is_active and user.center_id is not None


def clerks_of(window: Window) -> QuerySet[User]:
    """The active clerks seated at `window` (holding a clerk permission)."""
    holders = Q()
    for perm in rules.CLERK_PERMISSIONS:
        holders |= Q(pk__in=User.objects.with_perm(perm, include_superusers=False).values("pk"))
    return User.objects.filter(holders, window=window, is_active=True)


def is_clerk(user: User) -> bool:
    return any(user.has_perm(p) for p in rules.CLERK_PERMISSIONS)


def needs_stand_in(request: LeaveRequest) -> bool:
    """Whether the request may not be approved before a stand-in is named."""
    if request.length not in rules.STAND_IN_LENGTHS or request.window_id is None:
        return False
    if request.stand_in_id is not None:
        return False
    window = Window.objects.get(pk=request.window_id)
    clerks = set(clerks_of(window).values_list("pk", flat=True))
    return clerks == {request.user_id}


def _overlapping(user_id: int, starts_at: dt.datetime, ends_at: dt.datetime) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(
        user_id=user_id, status__in=ACTIVE, starts_at__lt=ends_at, ends_at__gt=starts_at
    )


def stand_in_candidates(
    person: User, starts_at: dt.datetime | None = None, ends_at: dt.datetime | None = None
) -> list[User]:
    """The colleagues who may stand in for `person`: active window clerks of the same center,
    not on leave over the period when one is given; those of the person's home department
    first."""
    holders = Q()
    for perm in rules.CLERK_PERMISSIONS:
        holders |= Q(pk__in=User.objects.with_perm(perm, include_superusers=False).values("pk"))
    busy = LeaveRequest.objects.none().values("user_id")
    if starts_at is not None and ends_at is not None:
        busy = LeaveRequest.objects.filter(
            status__in=ACTIVE, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).values("user_id")
    if person.center_id is None:
        return []
    qs = (
        User.objects.filter(holders, center_id=int(person.center_id), is_active=True)
        .exclude(pk=person.pk)
        .exclude(pk__in=busy)
        .select_related("department", "window")
        .order_by("username")
    )
    home = person.department_id or (
        person.window.department_id if person.window_id and person.window else None
    )
    users = list(qs)
    return sorted(
        users, key=lambda u: 0 if home is not None and (u.department_id or _window_dept(u)) == home else 1
    )


def _window_dept(user: User) -> int | None:
    return user.window.department_id if user.window_id and user.window else None


def _check_stand_in(person: User, stand_in: User, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if stand_in.pk == person.pk:
        raise ValidationFailed(
            _("Name a colleague as stand-in, not the person on leave."),
            details={"stand_in": [_("The person on leave cannot stand in for themselves.")]},
        )
    if stand_in.pk not in {u.pk for u in stand_in_candidates(person, starts_at, ends_at)}:
        raise ValidationFailed(
            _(
                "%(name)s cannot stand in: a stand-in is an active window clerk of the same center "
                "who is not on leave during this period."
            )
            % {"name": stand_in.display_name},
            details={"stand_in": [_("Not an available window clerk of your center.")]},
        )


# -- what an account may do -----------------------------------------------------------------------


def may_decide(user: Any, request: LeaveRequest) -> bool:
    """Whether `user` may approve or reject `request` at its current stage."""
    step = rules.step_of(request)
    if step is None or request.status != Status.PENDING or not _staff(user):
        return False
    if (
        user.pk == request.user_id
        or user.center_id != request.center_id
        or not user.has_perm(step.permission)
    ):
        return False
    if step.stage == Stage.HOME_DEPARTMENT:
        return user.department_id is not None and user.department_id == rules.home_department_id(request)
    return True


def may_name_stand_in(user: Any, request: LeaveRequest) -> bool:
    """The person, and whoever may decide any stage of the request (the home department's chief
    among them), while the request is pending and needs a stand-in at all."""
    if request.status != Status.PENDING or request.length not in rules.STAND_IN_LENGTHS:
        return False
    if not _staff(user) or user.center_id != request.center_id:
        return False
    if user.pk == request.user_id:
        return True
    for step in rules.chain_of(request):
        if not user.has_perm(step.permission):
            continue
        if step.stage != Stage.HOME_DEPARTMENT or user.department_id == rules.home_department_id(request):
            return True
    return False


def may_view(user: Any, request: LeaveRequest) -> bool:
    if not _staff(user) or user.center_id != request.center_id:
        return False
    if user.pk in (request.user_id, request.stand_in_id):
        return True
    if (
        user.has_perm(rules.APPROVE_SHORT)
        or user.has_perm(rules.APPROVE)
        or user.has_perm(rules.VIEW_ATTENDANCE)
    ):
        return True
    return user.has_perm(rules.SIGN_DEPARTMENT) and user.department_id == rules.home_department_id(request)


def allowed_actions(user: Any, request: LeaveRequest) -> list[str]:
    """The actions `user` may take on `request` now: approve, reject, stand_in, withdraw."""
    actions: list[str] = []
    if may_decide(user, request):
        actions += ["approve", "reject"]
    if may_name_stand_in(user, request):
        actions.append("stand_in")
    if request.status == Status.PENDING and _staff(user) and user.pk == request.user_id:
        actions.append("withdraw")
    return actions


def stand_in_required_message(request: LeaveRequest) -> str:
    return _(
        "Window %(window)s has no other clerk: %(name)s or the home department must name a stand-in "
        "(代岗) before this leave can be approved."
    ) % {"window": request.window.code if request.window else "", "name": request.user.display_name}


# -- services -------------------------------------------------------------------------------------


def _record(
    request: LeaveRequest, *, stage: str, decision: str, actor: User, note: str = ""
) -> LeaveDecision:
    return LeaveDecision.objects.create(
        request=request,
        stage=stage,
        decision=decision,
        actor=actor,
        at=clock.now(),
        note=note,
        client_ip=context.current().ip or None,
    )


def _validate_period(kind: str, starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose a kind of leave.")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The end must be after the start.")]
    elif ends_at - starts_at > rules.LONGEST:
        errors["ends_at"] = [_("A request covers at most 92 days.")]
    now = clock.now()
    if starts_at < now - rules.EARLIEST_BACKDATE:
        errors["starts_at"] = [_("A request may be entered at most 31 days after its start.")]
    elif starts_at > now + rules.LATEST_AHEAD:
        errors["starts_at"] = [_("A request may be made at most a year ahead.")]
    if errors:
        raise ValidationFailed(_("Check the period of the leave."), details=errors)
    length = rules.length_of(starts_at, ends_at)
    if kind in rules.SHORT_KINDS and length != Length.SHORT:
        raise ValidationFailed(
            _(
                "A late arrival or early leave is at most two hours on one day; "
                "ask for another kind of leave."
            ),
            details={"kind": [_("Longer than two hours: choose sick, personal, official or annual leave.")]},
        )
    return length


def leave_request_create(
    *,
    user: User,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    certificate: bool = False,
    stand_in: User | None = None,
    actor: User,
) -> LeaveRequest:
    """A pending leave request of `user` (entered by themselves, or by a group leader or the
    supervision office of the same center for them)."""
    if not _staff(user):
        raise ValidationFailed(_("Leave is asked for by an active staff member of a center."))
    center_id = int(user.center_id or 0)
    if actor.pk != user.pk and not (
        _staff(actor)
        and actor.center_id == user.center_id
        and (actor.has_perm(rules.APPROVE_SHORT) or actor.has_perm(rules.APPROVE))
    ):
        raise PermissionDenied(_("You may only ask for leave for yourself."), code="not_own_request")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for the leave."), details={"reason": [_("Required.")]})
    if len(reason) > REASON_MAX:
        raise ValidationFailed(
            _("The reason is too long."), details={"reason": [_("At most 300 characters.")]}
        )
    length = _validate_period(kind, starts_at, ends_at)
    if kind == Kind.SICK and length != Length.SHORT and not certificate:
        raise ValidationFailed(
            _("Sick leave of half a day or more needs a hospital certificate."),
            code="certificate_required",
            details={"certificate": [_("Confirm that the hospital certificate was handed in.")]},
        )
    days = rules.working_days_of(center_id, starts_at, ends_at, length)
    if length == Length.DAYS and days == 0:
        raise ValidationFailed(
            _("The period has no working day: no leave is needed."),
            details={"ends_at": [_("No working day in this period.")]},
        )
    if stand_in is not None:
        _check_stand_in(user, stand_in, starts_at, ends_at)
    window = user.window if user.window_id else None
    has_home = user.department_id is not None or (window is not None and window.department_id is not None)
    first = rules.chain_for(length, has_home_department=has_home)[0]
    with transaction.atomic():
        # one person's requests are checked and written one at a time
        User.objects.select_for_update().filter(pk=user.pk).first()
        if _overlapping(user.pk, starts_at, ends_at).exists():
            raise ValidationFailed(
                _("You already have leave asked for or approved in this period."),
                code="leave_overlap",
                details={"starts_at": [_("Overlaps another request of yours.")]},
            )
        if kind == Kind.OFFICIAL:
            _check_official_allowance(user, starts_at, rules.official_weight(length, days))
        request = LeaveRequest.objects.create(
            user=user,
            center_id=center_id,
            window=window,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            length=length,
            days=days,
            reason=reason,
            certificate=bool(certificate),
            stand_in=stand_in,
            status=Status.PENDING,
            stage=first.stage,
            requested_at=clock.now(),
            requested_by=actor,
        )
        if stand_in is not None:
            _record(
                request,
                stage=first.stage,
                decision=Decision.STAND_IN,
                actor=actor,
                note=stand_in.display_name,
            )
    return request


def _check_official_allowance(user: User, starts_at: dt.datetime, weight: Decimal) -> None:
    first, following = rules.month_bounds(starts_at)
    used = Decimal("0")
    rows = LeaveRequest.objects.filter(
        user=user, kind=Kind.OFFICIAL, status__in=ACTIVE, starts_at__gte=first, starts_at__lt=following
    )
    used += rows.exclude(length=Length.SHORT).aggregate(n=Sum("days"))["n"] or Decimal("0")
    used += Decimal("0.5") * rows.filter(length=Length.SHORT).count()
    if used + weight > rules.OFFICIAL_DAYS_PER_MONTH:
        raise ValidationFailed(
            _(
                "Official business is at most one working day a month; %(used)s already asked for or "
                "approved this month."
            )
            % {"used": used.normalize()},
            code="official_allowance",
            details={"kind": [_("The monthly allowance of official business is used up.")]},
        )


def _advance(request: LeaveRequest, version: int, **changes: Any) -> None:
    updated = LeaveRequest.objects.filter(pk=request.pk, version=version, status=Status.PENDING).update(
        version=F("version") + 1, **changes
    )
    if updated != 1:
        raise Conflict(
            _("Someone else changed this leave request in the meantime. Reload it and try again."),
            code="version_conflict",
            details={"version": [_("Stale version.")]},
        )


def _check_version(request: LeaveRequest, version: int) -> None:
    if request.version != version:
        raise Conflict(
            _("Someone else changed this leave request in the meantime. Reload it and try again."),
            code="version_conflict",
            details={"version": [_("Stale version.")]},
        )


def _pending(request: LeaveRequest) -> None:
    if request.status != Status.PENDING:
        raise Conflict(
            _("This leave request is already %(status)s.") % {"status": request.get_status_display()},
            code="not_pending",
        )


def leave_decide(
    *, request: LeaveRequest, decision: str, note: str = "", actor: User, version: int
) -> LeaveRequest:
    """Approve or reject `request` at its current stage. An approval moves it to the next stage
    of its chain, or approves it at the last; a rejection ends it."""
    request.refresh_from_db()
    _pending(request)
    _check_version(request, version)
    note = (note or "").strip()[:NOTE_MAX]
    if decision not in ("approve", "reject"):
        raise ValidationFailed(_("Approve or reject."), details={"decision": [_("approve or reject")]})
    step = rules.step_of(request)
    if step is None or not may_decide(actor, request):
        if _staff(actor) and actor.pk == request.user_id:
            raise PermissionDenied(_("Nobody decides their own leave."), code="own_request")
        raise PermissionDenied(
            _("You may not decide this leave request at its current stage (%(stage)s).")
            % {"stage": request.get_stage_display()},
            code="not_your_stage",
        )
    now = clock.now()
    with transaction.atomic():
        if decision == "reject":
            if not note:
                raise ValidationFailed(
                    _("Say why the leave is rejected."), details={"note": [_("Required when rejecting.")]}
                )
            _advance(request, version, status=Status.REJECTED, stage=Stage.DONE, decided_at=now)
            _record(request, stage=step.stage, decision=Decision.REJECTED, actor=actor, note=note)
        else:
            if needs_stand_in(request):
                raise Conflict(stand_in_required_message(request), code="stand_in_required")
            following = rules.next_step(request)
            if following is None:
                _advance(request, version, status=Status.APPROVED, stage=Stage.DONE, decided_at=now)
            else:
                _advance(request, version, stage=following.stage)
            _record(request, stage=step.stage, decision=step.approval, actor=actor, note=note)
    request.refresh_from_db()
    return request


def leave_stand_in_name(
    *, request: LeaveRequest, stand_in: User, actor: User, version: int | None = None
) -> LeaveRequest:
    """Name (or change) the stand-in of a pending request of half a day or more."""
    request.refresh_from_db()
    _pending(request)
    if version is not None:
        _check_version(request, version)
    if not may_name_stand_in(actor, request):
        raise PermissionDenied(
            _("The person on leave, the home department or the approvers name a stand-in."),
            code="not_stand_in_namer",
        )
    _check_stand_in(request.user, stand_in, request.starts_at, request.ends_at)
    with transaction.atomic():
        _advance(request, request.version if version is None else version, stand_in=stand_in)
        _record(
            request, stage=request.stage, decision=Decision.STAND_IN, actor=actor, note=stand_in.display_name
        )
    request.refresh_from_db()
    return request


def leave_withdraw(*, request: LeaveRequest, actor: User, version: int) -> LeaveRequest:
    """The person withdraws their pending request."""
    request.refresh_from_db()
    if not _staff(actor) or actor.pk != request.user_id:
        raise PermissionDenied(_("Only the person on leave withdraws the request."), code="not_own_request")
    _pending(request)
    _check_version(request, version)
    stage = request.stage
    with transaction.atomic():
        _advance(request, version, status=Status.WITHDRAWN, stage=Stage.DONE, decided_at=clock.now())
        _record(request, stage=stage, decision=Decision.WITHDRAWN, actor=actor)
    request.refresh_from_db()
    return request
