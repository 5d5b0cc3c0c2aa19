"""Reading rectifications (整改): the worklist of the departments in the reader's data scope
(open ones first, the most urgent first), one rectification with its history, and the
call-back rate of real-name 差评 (target 100 %)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, IntegerField, Prefetch, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from onewindow.core.errors import NotFound
from onewindow.feedback.models import Rectification, RectificationEvent
from onewindow.feedback.rectification_services import HANDLE, OPEN_STATUSES, REVIEW
from onewindow.org.selectors import in_data_scope, scope_queryset


def may_view(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.has_perm(HANDLE) or user.has_perm(REVIEW)))


def rectifications(
    user: Any,
    *,
    status: str = "",
    department_id: int | None = None,
    open_only: bool = False,
) -> QuerySet[Rectification]:
    """The rectifications in `user`'s scope: open ones first (red, yellow, then by deadline),
    then the finished ones, newest first."""
    if not may_view(user):
        return Rectification.objects.none()
    qs = scope_queryset(Rectification.objects.all(), user)
    if status:
        qs = qs.filter(status=status)
    elif open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    return (
        qs.select_related("evaluation__occasion__case", "department", "window")
        .annotate(
            open_rank=Case(
                When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            deadline=Case(
                When(status=Rectification.Status.CALLBACK_DUE, then=F("callback_due_at")),
                When(status=Rectification.Status.RECTIFYING, then=F("due_at")),
                default=Value(None),
            ),
        )
        .order_by("open_rank", "-level", Coalesce("deadline", "opened_at").asc(), "-opened_at", "-id")
    )


def rectification_for(user: Any, rectification_id: int) -> Rectification:
    """One rectification in `user`'s scope with its evaluation, case and events (NotFound otherwise)."""
    found = (
        Rectification.objects.select_related(
            "evaluation__occasion__case",
            "evaluation__occasion__item",
            "evaluation__voided_by",
            "evaluation__template",
            "department",
            "window",
            "callback_by",
        )
        .prefetch_related(
            Prefetch(
                "events", queryset=RectificationEvent.objects.select_related("actor").order_by("at", "id")
            )
        )
        .filter(pk=rectification_id)
        .first()
    )
    if (
        found is None
        or not may_view(user)
        or not in_data_scope(user, center_id=found.center_id, department_id=found.department_id)
    ):
        raise NotFound(_("No rectification with this number in your scope."))
    return found


def current_deadline(r: Rectification) -> dt.datetime | None:
    """The deadline the sweep watches now: the call-back's, then the rectification's."""
    if r.status == Rectification.Status.CALLBACK_DUE and r.callback_at is None:
        return r.callback_due_at
    if r.status == Rectification.Status.RECTIFYING:
        return r.due_at
    return None


@dataclass(frozen=True)
class CallbackRate:
    """Real-name 差评 with a call-back record ÷ real-name 差评 (voided ones included)."""

    called_back: int
    real_name: int

    @property
    def rate(self) -> float | None:
        return self.called_back / self.real_name if self.real_name else None


def callback_rate(
    user: Any, *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> CallbackRate:
    if not may_view(user):
        return CallbackRate(called_back=0, real_name=0)
    qs = scope_queryset(Rectification.objects.filter(evaluation__real_name=True), user)
    if since is not None:
        qs = qs.filter(opened_at__gte=since)
    if until is not None:
        qs = qs.filter(opened_at__lt=until)
    return CallbackRate(
        called_back=qs.filter(callback_at__isnull=False).count(),
        real_name=qs.count(),
    )
