"""Three months of a living center, written through the real services with a moved clock.

`load_history` plans about a thousand cases (`history_plan.plan_cases`, seeded: the same seed,
count and end moment give the same history) and plays them out in time order, one case action per service
call (`cases.services.case_intake`, `case_submit_online`, `case_act`), each inside
`core.clock.frozen_at` set to the moment it happens. Every working morning of the simulated
days (and once at the end) the supervision sweep runs (`supervision.sweep.sweep`: yellow
reminders, red supervision orders and accountability records, deemed approvals), the 5-day rule is applied
(`case_deem_accept_overdue`), departments reply to supervision orders, the supervisor closes
them, and some accountability records are appealed and decided, all through
`supervision.services`. The history's SMS are marked sent at the time they were written (the
console channel would otherwise log thousands of them when the worker starts).

Who acts: for every action the first demo account for whom `cases.permissions.actor_may` (or,
at intake, `may_accept_for`) allows it, so the history follows the workflow rules as they are:
after `accept`, a still active step of kind accept is passed like any other step; an instant
item is completed at the window in one sitting when a clerk may decide it (remembered per item
and window), otherwise the applicant applies online (for an instant item that allows it) and it
walks its steps with the department's staff right after acceptance.

Cases whose next action falls after now stay open: the supervision board and the forecast show
them (green, yellow, red). The marker is an audit entry `demo.history` on the center: when it
exists, `load_history` adds no cases.

A few bundle cases (一件事办件, `onewindow.demo.history_bundles`) are played out in the same queue;
they have their own marker, `demo.history.bundles`, so that a center whose history was written
before them gets them at the next load (and nothing more after that).
"""

from __future__ import annotations

import datetime as dt
import heapq
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from onewindow.cases import transitions as T
from onewindow.cases.applicants import resident_id_check, uscc_check
from onewindow.cases.facts import OPEN_STATUSES, Status
from onewindow.cases.models import Case, CaseStep
from onewindow.cases.permissions import actor_may, may_accept_for
from onewindow.cases.services import (
    case_act,
    case_deem_accept_overdue,
)
from onewindow.cases.versions import published_version
from onewindow.core import audit, clock
from onewindow.core.errors import PermissionDenied
from onewindow.core.models import AuditEntry
from onewindow.demo.data.org import DEMO_CENTER_CODE, WINDOWS
from onewindow.demo.history_bundles import BundleAgent, bundle_agents
from onewindow.demo.history_cases import OPEN_HOUR, CaseAgent, local_moment, working_days_from
from onewindow.demo.history_plan import DEFAULT_COUNT, HISTORY_DAYS, SEED, ItemInfo, plan_cases
from onewindow.demo.specs import account_specs, item_specs
from onewindow.notifications.models import OutboxMessage
from onewindow.org.models import Center, Department, User, Window
from onewindow.supervision.models import AccountabilityRecord, SupervisionOrder
from onewindow.supervision.services import (
    accountability_appeal,
    accountability_decide,
    order_close,
    order_reply,
)
from onewindow.supervision.sweep import sweep

MARKER = "demo.history"
BUNDLES_MARKER = "demo.history.bundles"


@dataclass
class HistorySummary:
    """What `load_history` did: cases planned and written, actions performed by name, the
    supervision records the sweeps wrote, and how long it took."""

    skipped: bool = False
    cases: int = 0
    open_cases: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    supervision: Counter[str] = field(default_factory=Counter)
    fallbacks: Counter[str] = field(default_factory=Counter)
    bundles: Counter[str] = field(default_factory=Counter)
    bundle_cases: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        if self.skipped:
            return [_("History: already written (nothing added).")]
        lines = []
        if self.cases or not self.bundle_cases:
            lines.append(self.cases_line())
        if self.bundle_cases:
            lines.append(
                _("Bundle cases in the history: %(n)s (%(open)s still open today).")
                % {"n": self.bundle_cases, "open": self.bundle_cases - self.bundles["decided"]}
            )
        return lines

    def cases_line(self) -> str:
        return _(
            "History: %(cases)s cases over %(days)s days (%(open)s still open today), "
            "%(actions)s case actions, %(records)s supervision records, in %(seconds).1f s."
        ) % {
            "cases": self.cases,
            "days": HISTORY_DAYS,
            "open": self.open_cases,
            "actions": sum(self.actions.values()),
            "records": sum(self.supervision.values()),
            "seconds": self.seconds,
        }


def history_written(center: Center, marker: str = MARKER) -> bool:
    """Whether the demo history (or with BUNDLES_MARKER its bundle cases) was already written
    for `center` (its marker exists)."""
    return AuditEntry.objects.filter(
        action=marker, object_type="org.center", object_id=str(center.pk)
    ).exists()


def load_history(
    *,
    center: Center | None = None,
    count: int = DEFAULT_COUNT,
    seed: int = SEED,
    until: dt.datetime | None = None,
) -> HistorySummary:
    """Write the demo history of `center` (default: the demo center) ending at `until` (default:
    now), unless it was written before. One transaction: on an error nothing is written."""
    started = time.monotonic()
    center = center or Center.objects.get(code=DEMO_CENTER_CODE)
    cases = not history_written(center)
    bundles = not history_written(center, BUNDLES_MARKER)
    if not cases and not bundles:
        return HistorySummary(skipped=True)
    end = until or clock.now()
    with transaction.atomic():
        driver = Driver(center=center, end=end, count=count if cases else 0, seed=seed, bundles=bundles)
        summary = driver.run()
        if cases:
            audit.record(
                action=MARKER,
                obj=center,
                after={
                    "cases": summary.cases,
                    "seed": seed,
                    "until": end.isoformat(),
                    "actions": dict(summary.actions),
                },
            )
        if bundles:
            audit.record(
                action=BUNDLES_MARKER,
                obj=center,
                after={"bundle_cases": summary.bundle_cases, "seed": seed, "until": end.isoformat()},
            )
    summary.seconds = time.monotonic() - started
    return summary


# --- the driver ----------------------------------------------------------------------------------


class Driver:
    """Plays the plans out in time order (a queue of (moment, sequence, what))."""

    def __init__(
        self, *, center: Center, end: dt.datetime, count: int, seed: int, bundles: bool = True
    ) -> None:
        self.center = center
        self.end = end
        self.summary = HistorySummary()
        self.queue: list[tuple[dt.datetime, int, Any]] = []
        self.seq = 0
        self.users = self._users()
        self.choice: dict[tuple[Any, ...], User | None] = {}
        self.windows = {w.code: w for w in Window.objects.filter(center=center)}
        self.materials: dict[str, list[int]] = {}
        self.seed = seed
        self.count = count
        self.item_online: dict[str, bool] = {}
        self.item_department: dict[str, int] = {}
        self.online_instant_items: list[str] = []
        self.bundles = bundles
        self.bundle_agents: list[BundleAgent] = []

    # -- setup

    def _users(self) -> list[User]:
        names = [s["username"] for s in account_specs()]
        by_name = {u.username: u for u in User.objects.filter(username__in=names, center=self.center)}
        return [by_name[n] for n in names if n in by_name and by_name[n].is_active]

    def _items(self) -> list[ItemInfo]:
        general = {
            "A": ("Z01", "Z02"),
            "B": ("Z03", "Z04"),
            "C": ("Z05",),
            "D": ("Z01", "Z02"),
            "": ("Z01", "Z02"),
        }
        known = {w["code"] for w in WINDOWS}
        departments = dict(Department.objects.filter(center=self.center).values_list("code", "pk"))
        out = []
        for spec in item_specs():
            own = spec["window_code"] or ""
            codes = ((own,) if own in known else ()) + general.get(own[:1], general[""])
            self.item_online[spec["code"]] = bool(spec["online_allowed"])
            if spec["online_allowed"] and spec["handling_type"] == "instant":
                self.online_instant_items.append(spec["code"])
            self.item_department[spec["code"]] = departments[spec["department_code"]]
            out.append(
                ItemInfo(
                    code=spec["code"],
                    handling_type=spec["handling_type"],
                    online_allowed=bool(spec["online_allowed"]),
                    green_channel_eligible=bool(spec["green_channel_eligible"]),
                    deemed_approval_days=spec["deemed_approval_days"],
                    window_codes=codes,
                )
            )
        return out

    def push(self, moment: dt.datetime, what: Any) -> None:
        if moment <= self.end:
            self.seq += 1
            heapq.heappush(self.queue, (moment, self.seq, what))

    def run(self) -> HistorySummary:
        first = clock.local(self.end).date() - dt.timedelta(days=HISTORY_DAYS)
        last = clock.local(self.end).date()
        days = working_days_from(first, last)
        if clock.local(self.end).hour < OPEN_HOUR + 7:
            days = [d for d in days if d < last]
        plans = plan_cases(
            items=self._items(),
            working_days=days,
            count=self.count,
            seed=self.seed,
            arrival_time=local_moment,
            id_check=resident_id_check,
            uscc_check=uscc_check,
        )
        for plan in plans:
            self.push(plan.arrival, CaseAgent(self, plan))
        self.bundle_agents = agents = (
            bundle_agents(self, working_days=working_days_from(first, last), seed=self.seed)
            if self.bundles
            else []
        )
        for agent in agents:
            self.push(agent.arrival, agent)
        start = min((moment for moment, _seq, _what in self.queue), default=self.end)
        for day in working_days_from(first, last):
            if day >= clock.local(start).date():
                self.push(local_moment(day, -60), "morning")
        first_message = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with clock.frozen_at(self.queue[0][0] if self.queue else self.end) as frozen:
            while self.queue:
                moment, _seq, what = heapq.heappop(self.queue)
                frozen.move_to(moment)
                if not isinstance(what, str):
                    upcoming = what.step(moment)
                    if upcoming is not None:
                        self.push(upcoming, what)
                else:
                    self.tick(moment, what)
            frozen.move_to(self.end)
            self.tick(self.end, "end")
        self.outbox_sent(first_message)
        self.summary.cases = len(plans)
        self.summary.bundle_cases = len(agents)
        self.summary.open_cases = Case.objects.filter(
            center=self.center, status__in=STILL_OPEN, joint=False
        ).count()
        return self.summary

    # -- the daily routine of the center

    def tick(self, moment: dt.datetime, what: str) -> None:
        result = sweep(now=moment)
        self.summary.supervision.update(result.counts)
        deemed = case_deem_accept_overdue(now=moment)
        if deemed:
            self.summary.actions[T.DEEM_ACCEPT] += deemed
        if what == "morning":
            self.follow_up(moment)
        for agent in self.bundle_agents:  # a sweep may have decided a sub-case (deemed approval)
            agent.follow(moment)

    def outbox_sent(self, after_pk: int) -> None:
        """The history's SMS went out when they were written: they are marked sent at that time
        instead of going through the console channel now (thousands of log lines)."""
        sent = OutboxMessage.objects.filter(pk__gt=after_pk, status=OutboxMessage.Status.PENDING).update(
            status=OutboxMessage.Status.SENT, sent_at=F("created_at"), attempts=1
        )
        self.summary.actions["sms_sent"] += sent

    def follow_up(self, moment: dt.datetime) -> None:
        """Departments reply to the supervision orders of the day before; the supervisor closes
        the replied ones; a department appeals some accountability records, the supervisor
        decides the appeals of the day before."""
        supervisor = self.first(lambda u: u.has_perm("supervision.supervise"))
        if supervisor is None:  # pragma: no cover - the demo has one
            return
        day_before = moment - dt.timedelta(hours=20)
        for order in SupervisionOrder.objects.filter(
            case__center=self.center, status=SupervisionOrder.Status.REPLIED, replied_at__lt=day_before
        ):
            order_close(order=order, actor=supervisor, note="已核实，按期整改。")
            self.summary.supervision["orders_closed"] += 1
        for order in SupervisionOrder.objects.filter(
            case__center=self.center,
            status__in=(SupervisionOrder.Status.OPEN, SupervisionOrder.Status.OVERDUE),
            issued_at__lt=day_before,
        ).select_related("case"):
            if order.pk % 5 == 0:
                continue  # some are never answered: they go overdue
            chief = self.first(
                lambda u, o=order: (
                    u.has_perm("supervision.appeal_accountability") and u.department_id == o.department_id
                )
            )
            if chief is not None:
                order_reply(order=order, actor=chief, reply="已督促经办人员加快办理，并落实限时办结。")
                self.summary.supervision["orders_replied"] += 1
        for record in AccountabilityRecord.objects.filter(
            case__center=self.center, status=AccountabilityRecord.Status.APPEALED, appealed_at__lt=day_before
        ):
            accountability_decide(
                record=record,
                actor=supervisor,
                uphold=record.pk % 2 == 0,
                note="经核查，维持问责。" if record.pk % 2 == 0 else "经核查，超期系申请人原因，撤销问责。",
            )
            self.summary.supervision["records_decided"] += 1
        for record in AccountabilityRecord.objects.filter(
            case__center=self.center, status=AccountabilityRecord.Status.ACTIVE, created_at__lt=day_before
        ):
            if record.pk % 6 != 0 or record.department_id is None:
                continue
            chief = self.first(
                lambda u, r=record: (
                    u.has_perm("supervision.appeal_accountability") and u.department_id == r.department_id
                )
            )
            if chief is not None:
                accountability_appeal(
                    record=record, actor=chief, reason="超期系申请人补充材料延误所致，申请复核。"
                )
                self.summary.supervision["records_appealed"] += 1

    def first(self, test: Any, *, department_id: int | None = None) -> User | None:
        """The first demo account that passes `test`, those of `department_id` first."""
        if department_id is not None:
            found = next((u for u in self.users if u.department_id == department_id and test(u)), None)
            if found is not None:
                return found
        return next((u for u in self.users if test(u)), None)

    # -- who acts

    def intake_clerk(self, department_id: int, window: Window | None) -> User | None:
        key = ("intake", department_id, window.pk if window else None)
        if key not in self.choice:
            self.choice[key] = self.first(lambda u: may_accept_for(u, department_id, window))
        return self.choice[key]

    def actor_for(self, case: Case, action: str, steps: list[CaseStep]) -> User | None:
        active = next((s for s in steps if s.position == case.active_step_position), None)
        key = (
            action,
            case.status,
            case.department_id,
            case.item_version_id,  # a window may decide some items (窗口授权), not others
            active.post_id if active else None,
            active.department_id if active else None,
            active.kind if active else None,
        )
        if key not in self.choice:
            transition = T.transition_for(case.status, action)
            self.choice[key] = self.first(
                lambda u: actor_may(u, case, action, transition, steps) is None,
                department_id=case.department_id,
            )
        return self.choice[key]

    def act(self, case: Case, steps: list[CaseStep], action: str, **params: Any) -> Case:
        """Perform `action` on `case` (whose steps are `steps`) as the first demo account allowed."""
        actor = self.actor_for(case, action, steps)
        if actor is None:
            raise PermissionDenied(
                _("No demo account may perform %(action)s on %(case)s.") % {"action": action, "case": case}
            )
        done = case_act(case=case, action=action, version=case.version, actor=actor, **params)
        self.summary.actions[action] += 1
        return done

    def material_ids(self, item_code: str) -> list[int]:
        if item_code not in self.materials:
            version = published_version(self.center, item_code)
            self.materials[item_code] = list(
                version.materials.order_by("position", "pk").values_list("pk", flat=True)
            )
        return self.materials[item_code]


# Not finished yet: waiting for pre-review, a correction, a step, or the decision's certificate.
STILL_OPEN = (Status.SUBMITTED, Status.RECEIVED, Status.CORRECTION_REQUESTED, *OPEN_STATUSES)
