"""The legal clock of a case: pure functions over a `WorkingDayTable`
(`onewindow.calendar.selectors.table()`), plus `clock_summary` for the case page.

Rules (docs/domain/cases.md, "The clock"):

* A limit of N working days from day D ends at 23:59:59 local time of the N-th working day
  after D; D itself is not counted (《行政许可法》第82条). N = 0 ends at the end of D.
* Case: D = the acceptance date (for a deemed acceptance: the day the application was
  received), N = limit + paused working days + approved extension days; the promised limit
  gives `due_at`, the legal limit `legal_due_at`.
* A pause (special procedure 第45条, or correction during processing) that starts on day S and
  ends on day E stops the clock for the working days after S up to and including E:
  ``count_working_days(S, E)``. S counts as a used day, E as a paused one; a pause started and
  ended on the same day pauses nothing.
* A step starting on day S with limit L is due at the end of the (L + its pauses + its
  extension)-th working day after S. A certificate step (制证) is due at most 10 working days
  after the decision (第44条).
* An extension may add at most ``min(legal limit // 2, 15)`` working days in total
  (第42条: 20 → 10, joint handling 45 → 15).
* An application received on day R and not answered (accepted, refused, correction notice)
  by the end of the 5th working day after R counts as accepted from R (第32条).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from onewindow.calendar.workdays import WorkingDayTable
from onewindow.core import clock

ANSWER_DAYS = 5  # 第32条: five days to accept, refuse or issue the one-time notice
CERTIFICATE_DAYS = 10  # 第44条: certificates within 10 working days of the decision
MAX_EXTENSION_DAYS = 15  # 第42条第2款: joint handling 45 + 15


def local_date(moment: dt.datetime) -> dt.date:
    """The center-local date of an aware datetime."""
    return moment.astimezone(timezone.get_default_timezone()).date()


def end_of_nth_working_day(table: WorkingDayTable, start: dt.date, days: int) -> dt.datetime:
    """23:59:59 local of the `days`-th working day after `start` (start not counted)."""
    return clock.end_of_day(table.add_working_days(start, max(0, days)))


def case_due_at(
    table: WorkingDayTable,
    *,
    accepted_on: dt.date,
    limit: int,
    paused_working_days: int = 0,
    extension_days: int = 0,
) -> dt.datetime:
    """The deadline of a case for `limit` (promised or legal)."""
    return end_of_nth_working_day(table, accepted_on, limit + paused_working_days + extension_days)


def capped(due: dt.datetime, cap: dt.datetime | None) -> dt.datetime:
    """`due`, or `cap` when that is earlier (a sub-case is never due after its bundle)."""
    return cap if cap is not None and cap < due else due


def step_due_at(
    table: WorkingDayTable,
    *,
    started_on: dt.date,
    limit_days: int,
    paused_working_days: int = 0,
    extension_days: int = 0,
    certificate: bool = False,
) -> dt.datetime:
    """The deadline of a step; a certificate step never later than 10 working days after its start
    (it starts on the day of the decision)."""
    limit = min(limit_days, CERTIFICATE_DAYS) if certificate else limit_days
    return end_of_nth_working_day(table, started_on, limit + paused_working_days + extension_days)


def pause_working_days(table: WorkingDayTable, *, started_on: dt.date, ended_on: dt.date) -> int:
    """Working days a pause stopped the clock: after its start date, up to and including its end date."""
    return max(0, table.count_working_days(started_on, ended_on))


def answer_due_at(table: WorkingDayTable, *, received_on: dt.date) -> dt.datetime:
    """The last moment to answer an application received on `received_on` (第32条): the very end
    (23:59:59.999999 local) of the 5th working day after it. Past it, it counts as accepted."""
    return end_of_nth_working_day(table, received_on, ANSWER_DAYS) + dt.timedelta(microseconds=999999)


def extension_allowance(legal_limit: int) -> int:
    """Total working days an extension may add: half the legal limit, at most 15 (第42条)."""
    return min(legal_limit // 2, MAX_EXTENSION_DAYS)


# --- the summary for the case page ------------------------------------------------------------


@dataclass(frozen=True)
class ClockEvent:
    """One fact that explains the clock: acceptance, a pause, an approved extension."""

    kind: str  # accepted | deemed_accepted | pause | extension
    on: dt.date
    until: dt.date | None = None
    days: int = 0
    detail: str = ""


@dataclass(frozen=True)
class StepClock:
    position: int
    name: str
    limit: int
    started_on: dt.date
    days_used: int
    days_paused: int
    extension_days: int
    days_left: int
    due_at: dt.datetime
    confirmed: bool

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True)
class ClockSummary:
    limit: int
    legal_limit: int
    accepted_on: dt.date
    days_used: int
    days_paused: int
    extension_days: int
    days_left: int
    due_at: dt.datetime
    legal_due_at: dt.datetime
    confirmed: bool
    running: bool
    paused: bool
    events: tuple[ClockEvent, ...] = field(default_factory=tuple)
    step: StepClock | None = None

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def clock_summary(
    case: Any, now: dt.datetime | None = None, table: WorkingDayTable | None = None
) -> ClockSummary | None:
    """The clock of an accepted case as of `now` (None for a case never accepted).

    Days are counted up to today, or up to the day the case was decided/completed/closed.
    An ongoing pause counts as paused up to today, so `days_left` does not move during it.
    """
    from onewindow.calendar.selectors import table as calendar_table
    from onewindow.cases.models import CaseExtension, CasePause, CaseStep

    if case.accepted_on is None:
        return None
    table = table or calendar_table()
    now = now or clock.now()
    stop = case.completed_at or case.closed_at
    end_day = local_date(min(stop, now) if stop else now)
    end_day = max(end_day, case.accepted_on)

    pauses = list(CasePause.objects.filter(case=case).order_by("started_at", "id"))
    extensions = list(
        CaseExtension.objects.filter(case=case, status=CaseExtension.Status.APPROVED).order_by(
            "decided_at", "id"
        )
    )
    events: list[ClockEvent] = [
        ClockEvent(
            kind="deemed_accepted" if case.deemed_accepted else "accepted",
            on=case.accepted_on,
            days=case.promised_limit,
        )
    ]
    ongoing = 0
    ongoing_step = 0
    active_step = None
    if case.active_step_position is not None:
        active_step = CaseStep.objects.filter(case=case, position=case.active_step_position).first()
    for pause in pauses:
        start = local_date(pause.started_at)
        if pause.ended_at is None:
            days = pause_working_days(table, started_on=start, ended_on=max(end_day, start))
            ongoing += days
            if active_step is not None and pause.step_id == active_step.pk:
                ongoing_step += days
            events.append(ClockEvent(kind="pause", on=start, until=None, days=days, detail=pause.kind))
        else:
            events.append(
                ClockEvent(
                    kind="pause",
                    on=start,
                    until=local_date(pause.ended_at),
                    days=pause.paused_working_days,
                    detail=pause.kind,
                )
            )
    for ext in extensions:
        events.append(
            ClockEvent(kind="extension", on=local_date(ext.decided_at or ext.requested_at), days=ext.days)
        )

    paused = case.paused_working_days + ongoing
    elapsed = max(0, table.count_working_days(case.accepted_on, end_day))
    total = case.promised_limit + paused + case.extension_days
    due = table.due_date(case.accepted_on, total)
    legal_total = case.legal_limit + paused + case.extension_days
    step_clock = None
    if active_step is not None and active_step.started_at is not None:
        started_on = local_date(active_step.started_at)
        step_paused = active_step.paused_working_days + ongoing_step
        certificate = active_step.kind == "certify"
        limit = min(active_step.limit_days, CERTIFICATE_DAYS) if certificate else active_step.limit_days
        step_total = limit + step_paused + active_step.extension_days
        step_elapsed = max(0, table.count_working_days(started_on, max(end_day, started_on)))
        step_due = table.due_date(started_on, step_total)
        step_clock = StepClock(
            position=active_step.position,
            name=active_step.name,
            limit=limit,
            started_on=started_on,
            days_used=max(0, step_elapsed - step_paused),
            days_paused=step_paused,
            extension_days=active_step.extension_days,
            days_left=step_total - step_elapsed,
            due_at=clock.end_of_day(step_due.value),  # type: ignore[arg-type]
            confirmed=step_due.confirmed,
        )
    return ClockSummary(
        limit=case.promised_limit,
        legal_limit=case.legal_limit,
        accepted_on=case.accepted_on,
        days_used=max(0, elapsed - paused),
        days_paused=paused,
        extension_days=case.extension_days,
        days_left=total - elapsed,
        due_at=clock.end_of_day(due.value),  # type: ignore[arg-type]
        legal_due_at=end_of_nth_working_day(table, case.accepted_on, legal_total),
        confirmed=due.confirmed,
        running=stop is None and ongoing == 0 and case.decided_at is None,
        paused=any(p.ended_at is None for p in pauses),
        events=tuple(events),
        step=step_clock,
    )


# --- the yellow threshold (预警) -------------------------------------------------------------
#
# Thresholds are center policy data owned by the supervision app (`SupervisionRule`). The cases
# app must not import supervision, so supervision registers a provider here from its
# `AppConfig.ready()` (docs/adr/0008-supervision-levels.md); without one the defaults apply.

DEFAULT_YELLOW_DAYS = 1
DEFAULT_YELLOW_PERCENT = 20


@dataclass(frozen=True)
class Thresholds:
    """Yellow when at most `yellow_days` working days or at most `yellow_percent` % of the limit
    are left, whichever comes first."""

    yellow_days: int = DEFAULT_YELLOW_DAYS
    yellow_percent: int = DEFAULT_YELLOW_PERCENT


DEFAULT_THRESHOLDS = Thresholds()

ThresholdProvider = Callable[[int, int | None], Thresholds]
_threshold_provider: list[ThresholdProvider] = []


def register_threshold_provider(provider: ThresholdProvider) -> None:
    """Install `provider(center_id, item_id) -> Thresholds` (replaces an earlier one)."""
    _threshold_provider[:] = [provider]


def unregister_threshold_provider() -> None:
    _threshold_provider.clear()


def thresholds_for(center_id: int, item_id: int | None) -> Thresholds:
    """The yellow thresholds of a center and item: from the registered provider, else the defaults."""
    if _threshold_provider:
        return _threshold_provider[0](center_id, item_id)
    return DEFAULT_THRESHOLDS


def warn_at(
    table: WorkingDayTable,
    *,
    started_at: dt.datetime,
    start_on: dt.date,
    total_days: int,
    limit_days: int,
    thresholds: Thresholds,
) -> dt.datetime:
    """The moment the remaining time of a deadline (end of the `total_days`-th working day after
    `start_on`) becomes ≤ the yellow threshold: at most `yellow_days` working days left, or at most
    `yellow_percent` % of `limit_days` left (whole working days, rounded down), whichever comes
    first. That is local midnight after the (total − k)-th working day, k = the larger of the two;
    when k ≥ total the deadline is yellow from its start (`started_at`)."""
    k = max(thresholds.yellow_days, (limit_days * thresholds.yellow_percent) // 100)
    if k >= total_days:
        return started_at
    last_green_day = table.add_working_days(start_on, total_days - k)
    moment = timezone.make_aware(dt.datetime.combine(last_green_day + dt.timedelta(days=1), dt.time.min))
    return max(moment, started_at)


def level_after_move(
    level: int, *, now: dt.datetime, warn: dt.datetime | None, due: dt.datetime | None
) -> int:
    """The level of a row whose deadline was just recomputed: back to 0 (green) when its current
    level is no longer justified (the sweep raises it again, with a new flag, if needed)."""
    if level >= 2 and (due is None or due >= now):
        return 0
    if level == 1 and (warn is None or warn > now):
        return 0
    return level
