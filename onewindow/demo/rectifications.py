"""Demo data of the rectification (整改) of 差评 (idempotent): the demo's bad ratings (made by
demo/evaluations.py when it exists; else two of our own, given through evaluation_submit on
open service occasions of the history) are advanced through the workflow:

* the first: called back, classified reasonable, rectified, the evaluator told, closed by the
  supervisor;
* the second: called back and classified complex (rectifying, by the longest deadline);
* the third: called back and classified mistaken (a void request awaiting the supervisor);
* the rest of the last 3 days: left waiting for their call-back (the sweep flags them when
  late);
* the older ones: handled in time, at the moments after each rating (called back within the
  hour, rectified, the evaluator told, closed the next day), as a center that keeps up would.

Called as `load(center)`; a second run changes nothing (nothing is advanced once any
rectification of the center has left its call-back).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from onewindow.core import clock
from onewindow.feedback import rectification_services as services
from onewindow.feedback.models import Rectification, ServiceOccasion
from onewindow.feedback.services import evaluation_submit
from onewindow.org.models import Center, User

OWN = (
    ("dissatisfied", ["efficiency"], "窗口排队时间太长，等了一个多小时。"),
    ("very_dissatisfied", ["attitude"], "工作人员解释不耐烦。"),
)


def _staff(center: Center, perm: str, department_id: int | None = None) -> User | None:
    users = User.objects.filter(center=center, is_active=True).order_by("username")
    if department_id is not None:
        users = users.filter(department_id=department_id)
    return next((u for u in users if u.has_perm(perm)), None)


def _own_bad_ratings(center: Center) -> int:
    """Two 差评 of our own on open occasions of cases (none when nothing is open)."""
    occasions = ServiceOccasion.objects.filter(
        center=center,
        case__isnull=False,
        department__isnull=False,
        evaluated_at__isnull=True,
        closes_at__gt=clock.now(),
    ).order_by("-at", "-id")[: len(OWN)]
    made = 0
    for occasion, (level, tags, text) in zip(occasions, OWN, strict=False):
        evaluation_submit(occasion=occasion, level=level, tags=tags, text=text, channel="hall_tablet")
        made += 1
    return made


def _act(r: Rectification, action: str, actor: User, **params: Any) -> Rectification:
    r.refresh_from_db()
    return services.rectification_act(
        rectification_id=r.pk, action=action, actor=actor, version=r.version, **params
    )


def _advance(r: Rectification, step: int, handler: User, reviewer: User | None) -> bool:
    if step == 0 and reviewer is not None:
        _act(r, "callback", handler, reached=True, note="已电话回访，评价人反映排队时间长。")
        _act(r, "classify", handler, classification="reasonable")
        _act(r, "rectify", handler, note="高峰时段增开弹性窗口，引导分流。")
        _act(r, "inform", handler, method="phone", note="已电话告知评价人整改措施。")
        _act(r, "approve", reviewer, note="整改到位，同意办结。")
    elif step == 1:
        _act(
            r,
            "callback",
            handler,
            reached=True,
            note="已回访，评价人对办理流程有意见。",
            classification="complex",
            explanation="涉及流程优化，需与业务科室共同研究，已登记限期整改。",
        )
    elif step == 2:
        _act(
            r,
            "callback",
            handler,
            reached=True,
            note="评价人表示点错了评价。",
            classification="mistaken",
            explanation="评价人确认误评，申请作废。",
        )
    else:
        return False
    return True


RECENT_DAYS = 3


def _close_in_time(r: Rectification, handler: User, reviewer: User) -> None:
    """An older 差评 handled as it should have been: each action a little after the rating."""
    now = clock.now()

    def moment(hours: float) -> dt.datetime:
        return min(r.opened_at + dt.timedelta(hours=hours), now - dt.timedelta(minutes=1))

    with clock.frozen_at(moment(1)):
        _act(r, "callback", handler, reached=True, note="已电话回访，核实评价人反映的问题。")
        _act(r, "classify", handler, classification="reasonable")
    with clock.frozen_at(moment(3)):
        _act(r, "rectify", handler, note="已向窗口人员通报并落实改进措施。")
    with clock.frozen_at(moment(4)):
        _act(r, "inform", handler, method="phone", note="已电话告知评价人整改情况。")
    with clock.frozen_at(moment(24)):
        _act(r, "approve", reviewer, note="整改到位，同意办结。")


def load(center: Center) -> dict[str, Any]:
    rectifications = Rectification.objects.filter(center=center)
    made = 0
    if not rectifications.exists():
        made = _own_bad_ratings(center)
    if rectifications.exclude(status=Rectification.Status.CALLBACK_DUE).exists():
        return {"bad_ratings": made, "rectifications_advanced": 0}
    reviewer = _staff(center, services.REVIEW)
    advanced = 0
    recent = clock.now() - dt.timedelta(days=RECENT_DAYS)
    if reviewer is not None:
        for r in rectifications.filter(department__isnull=False, opened_at__lt=recent).order_by(
            "opened_at", "id"
        ):
            handler = _staff(center, services.HANDLE, r.department_id)
            if handler is not None:
                _close_in_time(r, handler, reviewer)
                advanced += 1
    step = 0
    for r in rectifications.filter(department__isnull=False, opened_at__gte=recent).order_by(
        "opened_at", "id"
    ):
        handler = _staff(center, services.HANDLE, r.department_id)
        if handler is None:
            continue
        if not _advance(r, step, handler, reviewer):
            break
        advanced += 1
        step += 1
    return {"bad_ratings": made, "rectifications_advanced": advanced}
