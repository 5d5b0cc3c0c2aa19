"""One case of the demo history: `CaseAgent` carries out a `CasePlan` through the real services,
one action per wake-up, and says when it wakes up next (see `onewindow.demo.history`)."""

from __future__ import annotations

import datetime as dt
import logging
import random
from typing import Any, Protocol

from django.utils.translation import gettext as _

from onewindow.calendar.selectors import is_working_day
from onewindow.cases import clock as case_clock
from onewindow.cases import transitions as T
from onewindow.cases.facts import Status
from onewindow.cases.guards import deemed_approval_at
from onewindow.cases.models import Case, CaseStep
from onewindow.cases.services import case_intake, case_submit_online
from onewindow.cases.steps import decision_step_position
from onewindow.catalog.models import ProcessStep
from onewindow.core import clock, fastsql
from onewindow.core.errors import DomainError, PermissionDenied
from onewindow.demo.history_plan import LATE, PROMPT, STUCK, TIGHT, CasePlan
from onewindow.org.models import Center, User, Window

logger = logging.getLogger(__name__)

OPEN_HOUR = 9
CLOSE_MINUTE = 17 * 60 + 30

CORRECTION_NOTES = (
    "复印件不清晰，请提供清晰复印件",
    "缺少签字盖章",
    "信息填写不完整，请补充填写",
    "材料已过有效期，请重新提供",
)
REFUSAL_REASONS = (
    "申请事项不属于本机关职权范围，请向有关行政机关申请。",
    "申请人不具备申请资格。",
    "该事项依法不需要取得行政许可。",
)
DENIAL_REASONS = ("经审查，申请人不符合法定条件。", "现场核查不符合要求，整改期限内未完成整改。")
EXTENSION_REASONS = ("需组织专家论证，二十个工作日内不能作出决定。", "涉及多部门会商，需延长办理期限。")
PAUSE_REASONS = {
    "expert_review": "需组织专家评审。",
    "inspection": "需进行现场检查。",
    "testing": "需进行检验检测。",
    "on_site_survey": "需进行现场勘验。",
    "hearing": "依申请人要求组织听证。",
}


# --- time ----------------------------------------------------------------------------------------


def local_moment(day: dt.date, minute: int) -> dt.datetime:
    """`minute` minutes after opening time on `day`, local time, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(OPEN_HOUR), tzinfo=clock.zone()) + dt.timedelta(minutes=minute)


def next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def working_days_from(day: dt.date, last: dt.date) -> list[dt.date]:
    """The working days from `day` to `last`, both included."""
    out = []
    while day <= last:
        if is_working_day(day):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def soon(moment: dt.datetime, rng: random.Random, *, low: int = 5, high: int = 90) -> dt.datetime:
    """A few minutes after `moment`, or the next working morning after closing time."""
    local = clock.local(moment)
    candidate = local + dt.timedelta(minutes=rng.randrange(low, high))
    if candidate.hour * 60 + candidate.minute > CLOSE_MINUTE or not is_working_day(candidate.date()):
        return local_moment(next_working_day(local.date()), rng.randrange(0, 120))
    return candidate


def after_working_days(moment: dt.datetime, days: int, rng: random.Random) -> dt.datetime:
    """During the working hours of the `days`-th working day after `moment`."""
    day = clock.local(moment).date()
    for _n in range(max(days, 1)):
        day = next_working_day(day)
    return local_moment(day, rng.randrange(0, 8 * 60))


def before_deadline(
    moment: dt.datetime, due: dt.datetime | None, rng: random.Random, pace: str
) -> dt.datetime:
    """When the handler of a step that became theirs at `moment`, due at `due`, acts on it."""
    if due is None:
        return soon(moment, rng)
    start = clock.local(moment).date()
    last = clock.local(due).date()
    if pace in (LATE, STUCK):
        overdue = max(last, start)
        for _n in range(rng.randrange(1, 5) if pace == LATE else rng.randrange(6, 25)):
            overdue = next_working_day(overdue)
        return local_moment(overdue, rng.randrange(0, 8 * 60))
    days = working_days_from(start, last)
    if len(days) <= 1:
        return soon(moment, rng)
    # a tight handler acts on the last day; the others on any day of the step's window
    day = days[-1] if pace == TIGHT else days[min(len(days) - 1, int(rng.random() * len(days)))]
    if day == start:
        return soon(moment, rng)
    return local_moment(day, rng.randrange(0, 8 * 60))


def read_case(pk: int) -> tuple[Case, list[CaseStep]]:
    """The case and its steps by position, in two plain SELECTs (core.fastsql): the driver reads
    them at every wake-up, and the ORM's query building would double the history's time."""
    case = fastsql.instances(Case, fastsql.select_all(Case, '"id" = %s'), [pk])[0]
    steps = fastsql.instances(
        CaseStep, fastsql.select_all(CaseStep, '"case_id" = %s', order_by='"position"'), [pk]
    )
    return case, steps


class Driver(Protocol):
    """What a case needs of the history's driver (`onewindow.demo.history.Driver`)."""

    center: Center
    summary: Any  # HistorySummary: actions and fallbacks counters
    windows: dict[str, Window]
    item_online: dict[str, bool]
    item_department: dict[str, int]
    online_instant_items: list[str]

    def material_ids(self, item_code: str) -> list[int]: ...

    def intake_clerk(self, department_id: int, window: Window | None) -> User | None: ...

    def act(self, case: Case, steps: list[CaseStep], action: str, **params: Any) -> Case: ...


# --- one case ------------------------------------------------------------------------------------


class CaseAgent:
    """Carries out one plan. `step(moment)` performs the case's next action at `moment` (the
    clock is frozen there) and returns when the next one happens (None: nothing more)."""

    def __init__(self, driver: Driver, plan: CasePlan) -> None:
        self.d = driver
        self.p = plan
        self.rng = plan.rng
        self.case: Case | None = None
        self.steps_handled = 0
        self.paused = False
        self.corrected = False
        self.extended = False
        self.extension_decided = False
        self.walk_instant = False  # an instant item that could not be completed in one sitting

    def step(self, moment: dt.datetime) -> dt.datetime | None:
        try:
            if self.case is None:
                return self.arrive(moment)
            self.case, steps = read_case(self.case.pk)
            return self.proceed(moment, steps)
        except DomainError as exc:
            # The rules refused an action the plan wanted (a workflow change, say): this case
            # stops here and the history goes on; the summary counts it.
            self.d.summary.fallbacks[f"stopped:{getattr(exc, 'code', '') or type(exc).__name__}"] += 1
            logger.info("demo history: case %s stopped: %s", self.p.index, exc)
            return None

    # -- intake

    def materials(self, received: bool = True) -> list[dict[str, Any]]:
        return [{"material": pk, "received": received} for pk in self.d.material_ids(self.p.item_code)]

    def correction_items(self) -> list[dict[str, Any]]:
        ids = self.d.material_ids(self.p.item_code)
        return [{"material": ids[self.rng.randrange(len(ids))], "note": self.rng.choice(CORRECTION_NOTES)}]

    def arrive(self, moment: dt.datetime) -> dt.datetime | None:
        p = self.p
        if p.instant and p.answer == "accept" and p.channel == "window":
            try:  # completed in one sitting at a delegated window (the loader delegates them)
                self.case = self.intake("accept")
                return self.after_accept(moment)
            except PermissionDenied:
                pass
            # No demo clerk may receive this item: the applicant applies online for an instant
            # item that allows it, and the department decides it at once.
            self.walk_instant = True
            p.channel = "online"
            if not self.d.item_online[p.item_code]:
                p.item_code = self.rng.choice(self.d.online_instant_items)
            self.d.summary.fallbacks["instant_online"] += 1
        if p.channel == "online":
            self.case = case_submit_online(
                center=self.d.center,
                item_code=p.item_code,
                applicant=p.applicant,
                materials=self.materials(),
                delivery_method=p.delivery,
            )
            self.d.summary.actions[T.SUBMIT] += 1
            if self.walk_instant:
                return soon(moment, self.rng, low=2, high=20)
            return (
                after_working_days(moment, 1, self.rng) if self.rng.random() < 0.6 else soon(moment, self.rng)
            )
        if p.answer == "refuse":
            self.case = self.intake("refuse", note=self.rng.choice(REFUSAL_REASONS))
            return None
        if p.answer in ("correct", "correct_abandoned"):
            self.case = self.intake("correct", correction_items=self.correction_items())
            if p.answer == "correct_abandoned":
                return None
            if self.walk_instant:
                return soon(moment, self.rng, low=2, high=15)
            return after_working_days(moment, self.rng.randrange(1, 5), self.rng)
        self.case = self.intake("accept")
        return self.after_accept(moment)

    def intake(self, action: str, **kwargs: Any) -> Case:
        window = self.d.windows.get(self.p.window_code or "")
        version_department = self.d.item_department[self.p.item_code]
        clerk = self.d.intake_clerk(version_department, window)
        if clerk is None:
            raise PermissionDenied(_("No demo clerk may receive this item."))
        case = case_intake(
            actor=clerk,
            item_code=self.p.item_code,
            center=self.d.center,
            applicant=self.p.applicant,
            channel="window",
            materials=self.materials(),
            action=action,
            window=window,
            green_channel=self.p.green_channel,
            green_channel_handler=clerk if self.p.green_channel else None,
            delivery_method=self.p.delivery,
            **kwargs,
        )
        self.d.summary.actions[f"intake_{action}"] += 1
        return case

    def after_accept(self, moment: dt.datetime) -> dt.datetime | None:
        assert self.case is not None
        if self.case.status in (Status.COMPLETED, Status.DELIVERED):
            return self.schedule_delivery(moment)
        return self.next_moment(moment)

    # -- processing

    def active(self, steps: list[CaseStep]) -> CaseStep | None:
        assert self.case is not None
        return next((s for s in steps if s.position == self.case.active_step_position), None)

    def pace(self) -> str:
        if self.p.pace in (LATE, STUCK):
            return self.p.pace if self.steps_handled == self.p.late_step else PROMPT
        return self.p.pace

    def next_moment(self, moment: dt.datetime) -> dt.datetime | None:
        """When the case's next action happens, given its state after the action at `moment`."""
        case = self.case
        assert case is not None
        status = case.status
        if status in (Status.SUBMITTED,):
            return soon(moment, self.rng)
        if status in (Status.RECEIVED, Status.CORRECTION_REQUESTED):
            return soon(moment, self.rng, low=2, high=30)
        if status == Status.COMPLETED:
            return self.schedule_delivery(moment)
        if status in (Status.SUSPENDED,):
            return after_working_days(moment, self.p.pause_days, self.rng)
        if status == Status.CORRECTION_IN_PROGRESS:
            return after_working_days(moment, self.rng.randrange(2, 6), self.rng)
        if status in (Status.ACCEPTED, Status.IN_PROGRESS, Status.DECIDED_GRANTED, Status.CERTIFICATE_ISSUED,
                      Status.DECIDED_DENIED):  # fmt: skip
            steps = read_case(case.pk)[1]
            active = self.active(steps)
            if active is None:
                return soon(moment, self.rng, low=5, high=60)  # complete
            if self.walk_instant or active.kind == ProcessStep.Kind.ACCEPT:
                return soon(moment, self.rng, low=1, high=15)
            if self.extension_waiting():
                return after_working_days(moment, 1, self.rng)
            if (
                self.p.deemed
                and active.position == decision_step_position(steps)
                and active.due_at is not None
                and case.item_version.deemed_approval_days is not None
            ):
                deemed_at = deemed_approval_at(active.due_at, case.item_version.deemed_approval_days)
                return after_working_days(deemed_at, 1, self.rng)
            return before_deadline(moment, active.due_at, self.rng, self.pace())
        return None

    def extension_waiting(self) -> bool:
        assert self.case is not None
        if not self.extended or self.extension_decided:
            return False
        return self.case.extensions.filter(status="requested").exists()

    def schedule_delivery(self, moment: dt.datetime) -> dt.datetime:
        if self.p.delivery == "mail":
            return after_working_days(moment, 1, self.rng)
        return after_working_days(moment, self.rng.randrange(1, 4), self.rng)

    def proceed(self, moment: dt.datetime, steps: list[CaseStep]) -> dt.datetime | None:
        case = self.case
        assert case is not None
        p, rng, d = self.p, self.rng, self.d
        status = case.status
        if status == Status.SUBMITTED:
            self.case = d.act(case, steps, T.PRE_REVIEW_PASS, opinion="网上预审通过")
            if p.deem_accept:
                # nobody answers: the 5-day rule accepts it (the daily routine runs it)
                return after_working_days(moment, 7, rng)
        elif status == Status.CORRECTION_REQUESTED:
            self.case = d.act(
                case,
                steps,
                T.RECEIVE_CORRECTION,
                materials=d.material_ids(p.item_code),
                note="补正材料已收齐",
            )
        elif status == Status.RECEIVED:
            if p.channel == "online" and p.answer == "refuse":
                self.case = d.act(case, steps, T.REFUSE, reason=rng.choice(REFUSAL_REASONS))
            else:
                self.case = d.act(case, steps, T.ACCEPT, opinion="材料齐全，予以受理")
        elif status in (Status.ACCEPTED, Status.IN_PROGRESS):
            self.case = self.process(case, steps)
        elif status == Status.SUSPENDED:
            self.case = d.act(case, steps, T.END_SPECIAL_PROCEDURE, note="特别程序已结束")
        elif status == Status.CORRECTION_IN_PROGRESS:
            self.case = d.act(
                case, steps, T.RECEIVE_PROCESSING_CORRECTION, materials=d.material_ids(p.item_code)[:1]
            )
        elif status in (Status.DECIDED_GRANTED, Status.DECIDED_DENIED, Status.CERTIFICATE_ISSUED):
            active = self.active(steps)
            if (
                active is not None
                and active.kind == ProcessStep.Kind.CERTIFY
                and status == Status.DECIDED_GRANTED
            ):
                self.case = d.act(
                    case, steps, T.ISSUE_CERTIFICATE, certificate_number=f"SF{case.pk:07d}", opinion=""
                )
            elif active is not None:
                self.case = d.act(case, steps, T.PASS_STEP, opinion="同意")
            else:
                self.case = d.act(case, steps, T.COMPLETE, note="")
        elif status == Status.COMPLETED:
            if p.delivery == "mail":
                self.case = d.act(
                    case, steps, T.DELIVER, method="mail", tracking_number=f"EMS{case.pk:09d}CN"
                )
            else:
                applicant = p.applicant
                if applicant["kind"] == "enterprise":  # the legal representative collects it
                    self.case = d.act(
                        case,
                        steps,
                        T.DELIVER,
                        method="pickup",
                        recipient_relation="legal_representative",
                        recipient_name=applicant["legal_rep_name"],
                        recipient_id_number=applicant["legal_rep_id_number"],
                        note="法定代表人领取",
                    )
                else:
                    self.case = d.act(case, steps, T.DELIVER, method="pickup", note="申请人本人领取")
        else:
            return None
        return self.next_moment(moment)

    def process(self, case: Case, steps: list[CaseStep]) -> Case:
        """The case is accepted or in progress: the active step's handler acts."""
        p, rng, d = self.p, self.rng, self.d
        active = self.active(steps)
        if active is None:  # pragma: no cover - an open case always has an active step
            return case
        if active.kind == ProcessStep.Kind.ACCEPT:
            return d.act(case, steps, T.PASS_STEP, opinion="受理")
        if self.extension_waiting():
            self.extension_decided = True
            if p.extension == "reject":
                return d.act(case, steps, T.REJECT_EXTENSION, note="理由不充分，请按原期限办结。")
            return d.act(case, steps, T.APPROVE_EXTENSION, note="同意延期。")
        if p.withdraw and self.steps_handled >= 1:
            return d.act(case, steps, T.WITHDRAW, reason="申请人主动撤回申请。")
        if p.pause_step is not None and not self.paused and self.steps_handled >= p.pause_step:
            self.paused = True
            return d.act(
                case,
                steps,
                T.START_SPECIAL_PROCEDURE,
                kind=p.pause_kind,
                reason=PAUSE_REASONS[p.pause_kind],
                expected_working_days=p.pause_days,
            )
        if (
            p.processing_correction_step is not None
            and not self.corrected
            and self.steps_handled >= p.processing_correction_step
        ):
            self.corrected = True
            return d.act(
                case,
                steps,
                T.REQUEST_PROCESSING_CORRECTION,
                items=self.correction_items(),
                reason="审查中发现材料与现场情况不一致，需补充说明。" if case.correction_count else "",
            )
        decision = decision_step_position(steps)
        on_decision = active.position == decision or (
            decision is None and active.position == steps[-1].position
        )
        if p.extension and not self.extended and on_decision:
            self.extended = True
            allowance = case_clock.extension_allowance(case.legal_limit) - case.extension_days
            if allowance >= 1:
                return d.act(
                    case,
                    steps,
                    T.REQUEST_EXTENSION,
                    days=min(allowance, rng.randrange(2, 6)),
                    reason=rng.choice(EXTENSION_REASONS),
                )
        self.steps_handled += 1
        if on_decision and decision is not None:
            if p.deny:
                return d.act(case, steps, T.DENY, reasons=rng.choice(DENIAL_REASONS), opinion="不予许可")
            return d.act(case, steps, T.GRANT, opinion="准予许可")
        if active.kind == ProcessStep.Kind.CERTIFY and case.status == Status.DECIDED_GRANTED:
            return d.act(case, steps, T.ISSUE_CERTIFICATE, certificate_number=f"SF{case.pk:07d}", opinion="")
        return d.act(case, steps, T.PASS_STEP, opinion="同意")
