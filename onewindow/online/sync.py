"""The application follows its case when the case moves elsewhere than in the pre-review: the
window accepts a case passed "bring the originals", the 5-day rule accepts one nobody reviewed
in time (`case_deem_accept_overdue`), the window refuses it or the applicant withdraws. Registered
with `cases.hooks` in `OnlineConfig.ready()`; runs in the case's transaction."""

from __future__ import annotations

import datetime as dt

from onewindow.cases.facts import Status as CaseStatus
from onewindow.cases.models import Case
from onewindow.online.models import OnlineApplication
from onewindow.org.models import User

Status = OnlineApplication.Status
_FOLLOW = {
    CaseStatus.ACCEPTED: Status.ACCEPTED,
    CaseStatus.REFUSED: Status.REFUSED,
    CaseStatus.WITHDRAWN: Status.WITHDRAWN,
}
_FROM = (Status.SUBMITTED, Status.PASSED_ORIGINALS, Status.RETURNED)


def follow_case(case: Case, before: str, now: dt.datetime, actor: User | None) -> None:
    if case.channel != Case.Channel.ONLINE or not before:
        return
    target = _FOLLOW.get(case.status)  # type: ignore[call-overload]
    if target is None:
        return
    OnlineApplication.objects.filter(case_id=case.pk, status__in=_FROM).update(
        status=target, decided_at=now, updated_at=now, prereview_due_at=None
    )
