"""Demo leave requests (请假, idempotent): a dozen requests of the demo window clerks over the
last two months, written through the real services with the clock frozen at the moments they
were asked for and decided, so "My attendance and leave", the leave worklist and the daily
attendance have something to show.

clerk (林晓燕, general window Z01, no home department) and clerk2 (韩雪梅, B01, SCJG):

1. clerk2, late arrival (30 min) — approved by the group leader;
2. clerk, early leave (1 h) — approved by the group leader;
3. clerk2, personal leave (1½ h in the afternoon) — approved by the group leader;
4. clerk, sick leave (1 h) — approved by the group leader;
5. clerk2, personal leave, a morning — the group leader approves, the supervision office records;
6. clerk, official business, an afternoon — approved and recorded;
7. clerk2, annual leave, two days, clerk named stand-in (代岗) — the SCJG chief signs, the
   supervision office approves;
8. clerk, sick leave, two days with the hospital certificate, clerk2 standing in — the
   supervision office approves (no home department);
9. clerk2, personal leave, one day — rejected by the SCJG chief;
10. clerk, late arrival — withdrawn;
11. clerk2, personal leave, one day next week — waiting for the SCJG chief;
12. clerk2, annual leave, one day the week after — the chief signed, waiting for the supervision
    office.

Accounts are looked up by username (clerk, clerk2, scjg-chief, supervisor, groupleader); the
requests whose actors are missing are skipped. A second run adds nothing (the demo reasons are
looked up first).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from onewindow.attendance import leave
from onewindow.attendance.models import LeaveRequest
from onewindow.calendar.selectors import is_working_day
from onewindow.core import clock
from onewindow.core.errors import DomainError
from onewindow.org.models import Center, User

logger = logging.getLogger(__name__)

REASONS = (
    "早高峰堵车，晚到半小时",
    "孩子学校家长会，提前一小时离岗",
    "到银行办理个人业务",
    "牙疼，到医院看急诊",
    "上午到派出所办理户籍事项",
    "下午参加市政务服务管理局业务培训",
    "回老家探亲",
    "急性肠胃炎，住院输液两天",
    "家中装修需要看管",
    "车辆故障，可能晚到（已自行到岗）",
    "陪同父母到医院复查",
    "参加孩子毕业典礼",
)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.zone())


def _working_days(start: dt.date, step: int, n: int) -> list[dt.date]:
    """`n` working days from `start` (excluded) going back (step −1) or ahead (step 1)."""
    days: list[dt.date] = []
    day = start
    while len(days) < n:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            days.append(day)
    return days if step > 0 else list(reversed(days))


def load(center: Center) -> dict[str, int]:
    if LeaveRequest.objects.filter(center=center, reason__in=REASONS).exists():
        return {"leave_requests": 0}
    users = {u.username: u for u in User.objects.filter(center=center, is_active=True)}
    clerk, clerk2 = users.get("clerk"), users.get("clerk2")
    chief, supervisor, leader = users.get("scjg-chief"), users.get("supervisor"), users.get("groupleader")
    if clerk is None or clerk2 is None:
        return {"leave_requests": 0}
    past = _working_days(clock.today(), -1, 40)  # oldest first, about two months
    ahead = _working_days(clock.today(), 1, 8)
    made = 0

    def ask(
        person: User,
        kind: str,
        start: dt.datetime,
        end: dt.datetime,
        reason: str,
        asked: dt.datetime,
        *,
        certificate: bool = False,
        stand_in: User | None = None,
    ) -> LeaveRequest:
        nonlocal made
        with clock.frozen_at(asked):
            created = leave.leave_request_create(
                user=person,
                kind=kind,
                starts_at=start,
                ends_at=end,
                reason=reason,
                actor=person,
                certificate=certificate,
                stand_in=stand_in,
            )
        made += 1
        return created

    def decide(
        req: LeaveRequest, actor: User | None, moment: dt.datetime, decision: str = "approve", note: str = ""
    ) -> None:
        assert actor is not None  # the callers check the account exists
        with clock.frozen_at(moment):
            req.refresh_from_db()
            leave.leave_decide(request=req, decision=decision, note=note, actor=actor, version=req.version)

    def step(run: Callable[[], None]) -> None:
        try:
            run()
        except DomainError as exc:  # a calendar or account the demo did not expect: skip it
            logger.warning("demo leave request skipped: %s", exc.message)

    def short(
        person: User, kind: str, i: int, hours: tuple[tuple[int, int], tuple[int, int]], n: int
    ) -> None:
        day = past[i]
        req = ask(
            person, kind, _at(day, *hours[0]), _at(day, *hours[1]), REASONS[n], _at(past[i - 1], 17, 30)
        )
        decide(req, leader, _at(day, 8, 10))

    def half_day(person: User, kind: str, i: int, morning: bool, n: int, stand_in: User) -> None:
        day, before = past[i], past[i - 1]
        start, end = (_at(day, 8, 30), _at(day, 12)) if morning else (_at(day, 13, 30), _at(day, 17, 30))
        req = ask(person, kind, start, end, REASONS[n], _at(before, 15), stand_in=stand_in)
        decide(req, leader, _at(before, 16))
        decide(req, supervisor, _at(before, 16, 30), note="已备案")

    def annual() -> None:
        req = ask(
            clerk2,
            "annual",
            _at(past[26], 8, 30),
            _at(past[27], 17, 30),
            REASONS[6],
            _at(past[22], 10),
            stand_in=clerk,
        )
        decide(req, chief, _at(past[22], 11), note="同意，由林晓燕代岗")
        decide(req, supervisor, _at(past[23], 9))

    def sick_days() -> None:
        req = ask(
            clerk,
            "sick",
            _at(past[31], 8, 30),
            _at(past[32], 17, 30),
            REASONS[7],
            _at(past[31], 8, 10),
            certificate=True,
            stand_in=clerk2,
        )
        decide(req, supervisor, _at(past[31], 9))

    def rejected() -> None:
        req = ask(
            clerk2, "personal", _at(past[36], 8, 30), _at(past[36], 17, 30), REASONS[8], _at(past[34], 9)
        )
        decide(req, chief, _at(past[34], 10), "reject", "当周窗口业务量大，请调整时间")

    def withdrawn() -> None:
        req = ask(clerk, "late", _at(past[38], 9), _at(past[38], 10), REASONS[9], _at(past[38], 7, 50))
        with clock.frozen_at(_at(past[38], 9, 5)):
            leave.leave_withdraw(request=req, actor=clerk, version=req.version)

    def pending_at_chief() -> None:
        ask(clerk2, "personal", _at(ahead[3], 8, 30), _at(ahead[3], 17, 30), REASONS[10], clock.now())

    def pending_at_supervision() -> None:
        now = clock.now()
        req = ask(
            clerk2, "annual", _at(ahead[6], 8, 30), _at(ahead[6], 17, 30), REASONS[11], now, stand_in=clerk
        )
        decide(req, chief, now, note="同意")

    if leader is not None:
        step(lambda: short(clerk2, "late", 2, ((9, 0), (9, 30)), 0))
        step(lambda: short(clerk, "early", 6, ((16, 0), (17, 0)), 1))
        step(lambda: short(clerk2, "personal", 11, ((14, 0), (15, 30)), 2))
        step(lambda: short(clerk, "sick", 15, ((10, 0), (11, 0)), 3))
        if supervisor is not None:
            step(lambda: half_day(clerk2, "personal", 19, True, 4, clerk))
            step(lambda: half_day(clerk, "official", 22, False, 5, clerk2))
    if supervisor is not None and chief is not None:
        step(annual)
    if supervisor is not None:
        step(sick_days)
    if chief is not None:
        step(rejected)
    step(withdrawn)
    step(pending_at_chief)
    if chief is not None:
        step(pending_at_supervision)
    return {"leave_requests": made}
