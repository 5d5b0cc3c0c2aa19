"""Random sequences of actions (hypothesis) against a simple model of the rules.

Invariants after every step: the status is one the table allows (reached through one of the
transition's targets), a successful action wrote exactly one event and bumped the version by
one, a failed one wrote nothing, `allowed_actions` agrees with what `case_act` does, and
`due_at` equals the deadline recomputed independently from the events with a hand-written
working-day calendar.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from onewindow.cases import services
from onewindow.cases import transitions as T
from onewindow.cases.guards import case_allowed_actions
from onewindow.cases.models import Case, CaseEvent, Status
from onewindow.cases.tests.conftest import (
    ADJUSTED_2026,
    HOLIDAYS_2026,
    SH,
    act,
    active_kind,
    handler,
    intake,
    item,
    items_of,
    reach,
    submit_online,
)
from onewindow.core.errors import DomainError, InvalidTransition, ValidationFailed

_HOLIDAYS = {dt.date.fromisoformat(d) for d in HOLIDAYS_2026}
_ADJUSTED = {dt.date.fromisoformat(d) for d in ADJUSTED_2026}


def is_workday(day: dt.date) -> bool:
    if day in _ADJUSTED:
        return True
    return day.weekday() < 5 and day not in _HOLIDAYS


def add_workdays(start: dt.date, n: int) -> dt.date:
    day = start
    while n > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def count_workdays(start: dt.date, end: dt.date) -> int:
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        days += is_workday(day)
    return days


CLERK = {
    T.PRE_REVIEW_PASS,
    T.ACCEPT,
    T.REQUEST_CORRECTION,
    T.RECEIVE_CORRECTION,
    T.REFUSE,
    T.RECEIVE_PROCESSING_CORRECTION,
    T.COMPLETE,
    T.DELIVER,
    T.WITHDRAW,
}
CHIEF = {T.APPROVE_EXTENSION, T.REJECT_EXTENSION, T.TERMINATE}
USERS = ["right", "right", "right", "clerk", "scjg-reviewer", "scjg-approver", "sw-chief"]


class CaseMachine(RuleBasedStateMachine):
    org: Any = None
    version: Any = None

    def __init__(self) -> None:
        super().__init__()
        self.traveller = time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=SH), tick=False)
        self.frozen = self.traveller.start()
        self.case: Case | None = None

    def teardown(self) -> None:
        self.traveller.stop()

    @initialize(
        start=st.sampled_from(["window", "online", "correct", "in_progress", "decision", "decided_granted"])
    )
    def start(self, start: str) -> None:
        org, version = self.org, self.version
        if start in ("in_progress", "decided_granted"):
            self.case = reach(org, version, start)
        elif start == "decision":
            case = reach(org, version, "in_progress")
            while active_kind(case) != "decide":
                case = act(case, T.PASS_STEP, handler(org, case))
            self.case = case
        elif start == "online":
            self.case = submit_online(org, version)
        elif start == "correct":
            self.case = intake(org, version, action="correct", correction_items=items_of(version))
        else:
            self.case = intake(org, version)

    def right_actor(self, action: str) -> Any:
        assert self.case is not None
        if action in (T.DEEM_ACCEPT, T.DEEM_APPROVE_STEP, T.RECORD_JOINT_INSPECTION):
            return None
        if action in CLERK:
            return self.org.user("clerk")
        if action in CHIEF:
            return self.org.user("scjg-chief")
        if self.case.active_step_position is None:
            return self.org.user("scjg-reviewer")
        return handler(self.org, self.case)

    def params(self, action: str, days: int, flag: bool) -> dict[str, Any]:
        assert self.case is not None
        items = items_of(self.version, 1 + days % 2)
        reason = {"reason": "首次遗漏"} if flag else {}
        return {
            T.REQUEST_CORRECTION: {"items": items, **reason},
            T.REQUEST_PROCESSING_CORRECTION: {"items": items, **reason},
            T.REFUSE: {"reason": "不予受理"},
            T.RETURN_STEP: {"to_position": 1 + days % 5, "reason": "退回"},
            T.DENY: {"reasons": "不符合条件"},
            T.START_SPECIAL_PROCEDURE: {"kind": "hearing", "reason": "听证"},
            T.REQUEST_EXTENSION: {"days": days, "reason": "复杂"},
            T.DELIVER: {"method": "mail", "tracking_number": "SF1"} if flag else {"method": "pickup"},
            T.WITHDRAW: {"reason": "撤回"},
            T.TERMINATE: {"reason": "终止"},
        }.get(action, {})

    @rule(
        action=st.sampled_from(T.ACTIONS),
        who=st.sampled_from(USERS),
        days=st.integers(min_value=1, max_value=12),
        flag=st.booleans(),
    )
    def do(self, action: str, who: str, days: int, flag: bool) -> None:
        """Any action by anyone: mostly refused, and then nothing may change."""
        self.perform(action, who, days, flag)

    @rule(data=st.data(), days=st.integers(min_value=1, max_value=12), flag=st.booleans())
    def do_allowed(self, data: Any, days: int, flag: bool) -> None:
        """An action the case allows now, by the right actor: walks the case through its life."""
        self.perform_allowed(data, days, flag, endings=True)

    @rule(data=st.data(), days=st.integers(min_value=1, max_value=12), flag=st.booleans())
    def go_on(self, data: Any, days: int, flag: bool) -> None:
        """The same without withdrawing, refusing or terminating: gets further."""
        self.perform_allowed(data, days, flag, endings=False)

    @rule(data=st.data(), days=st.integers(min_value=1, max_value=12), flag=st.booleans())
    def go_on_more(self, data: Any, days: int, flag: bool) -> None:
        self.perform_allowed(data, days, flag, endings=False)

    def perform_allowed(self, data: Any, days: int, flag: bool, *, endings: bool) -> None:
        assert self.case is not None
        self.case.refresh_from_db()
        system = {T.DEEM_ACCEPT, T.DEEM_APPROVE_STEP, T.RECORD_JOINT_INSPECTION}
        skip = system if endings else system | {T.WITHDRAW, T.TERMINATE, T.REFUSE}
        allowed = [a for a in case_allowed_actions(self.case) if a not in skip]
        if allowed:
            self.perform(data.draw(st.sampled_from(allowed)), "right", days, flag)

    def perform(self, action: str, who: str, days: int, flag: bool) -> None:
        case = self.case
        assert case is not None
        case.refresh_from_db()
        status, version = case.status, case.version
        events = CaseEvent.objects.filter(case=case).count()
        actor = self.right_actor(action) if who == "right" else self.org.user(who)
        allowed = case_allowed_actions(case, actor) if actor is not None else case_allowed_actions(case)
        try:
            act(case, action, actor, **self.params(action, days, flag))
        except DomainError as exc:
            if (status, action) not in T.TABLE:
                assert isinstance(exc, InvalidTransition)
            if action in allowed:  # allowed: only the parameters can be wrong
                assert isinstance(exc, ValidationFailed), exc
            case.refresh_from_db()
            assert (case.status, case.version) == (status, version)
            assert CaseEvent.objects.filter(case=case).count() == events
            return
        assert (status, action) in T.TABLE
        assert action in allowed
        case.refresh_from_db()
        assert case.status in T.TABLE[(status, action)].targets
        assert case.version == version + 1
        assert CaseEvent.objects.filter(case=case).count() == events + 1

    @rule(days=st.integers(min_value=0, max_value=4), hours=st.integers(min_value=0, max_value=23))
    def time_passes(self, days: int, hours: int) -> None:
        self.frozen.shift(dt.timedelta(days=days, hours=hours))

    @rule()
    def sweep(self) -> None:
        assert self.case is not None
        self.case.refresh_from_db()
        due = self.case.status == Status.RECEIVED and self.case.answer_due_at < dt.datetime.now(tz=SH)
        version = self.case.version
        # (cases of earlier examples may be swept too: count at least this one)
        assert services.case_deem_accept_overdue() >= int(due)
        self.case.refresh_from_db()
        if due:
            assert self.case.status == Status.ACCEPTED and self.case.deemed_accepted
        else:
            assert self.case.version == version

    @invariant()
    def history_matches_the_state(self) -> None:
        if self.case is None:
            return
        case = self.case
        case.refresh_from_db()
        events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
        assert [e.seq for e in events] == list(range(1, case.version + 1))
        assert events[-1].to_status == case.status
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status
            assert (after.from_status, after.action) in T.TABLE
            assert after.to_status in T.TABLE[(after.from_status, after.action)].targets

    @invariant()
    def due_at_matches_the_calendar(self) -> None:
        if self.case is None:
            return
        case = self.case
        events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
        accepted = [e for e in events if e.action in (T.ACCEPT, T.DEEM_ACCEPT)]
        if not accepted:
            assert case.due_at is None
            return
        accepted_on = dt.date.fromisoformat(accepted[0].data["accepted_on"])
        paused = 0
        for e in events:
            if e.action in (T.END_SPECIAL_PROCEDURE, T.RECEIVE_PROCESSING_CORRECTION):
                start, end = (
                    dt.date.fromisoformat(e.data["started_on"]),
                    dt.date.fromisoformat(e.data["ended_on"]),
                )
                assert e.data["paused_working_days"] == count_workdays(start, end)
                paused += e.data["paused_working_days"]
        extension = sum(e.data["days"] for e in events if e.action == T.APPROVE_EXTENSION)
        due_day = add_workdays(accepted_on, case.promised_limit + paused + extension)
        expected = dt.datetime.combine(due_day, dt.time(23, 59, 59), tzinfo=SH)
        assert case.due_at == expected
        assert case.paused_working_days == paused and case.extension_days == extension


@pytest.mark.django_db
def test_random_action_sequences(cx: Any) -> None:
    CaseMachine.org = cx
    CaseMachine.version = item(cx, promised_limit=6, legal_limit=20)
    run_state_machine_as_test(
        CaseMachine,
        settings=settings(
            max_examples=50,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
