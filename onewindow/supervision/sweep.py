"""The supervision sweep (实时监察): runs every minute (tasks.py) or by hand (`supervision_sweep`).

1. Steps and cases that crossed a threshold are found through the partial level indexes and
   flipped batch by batch with a compare-and-set (crossings.py); records are written only for
   the rows actually flipped (records.py: flags, reminders and their SMS in reminders.py,
   supervision orders, accountability records). Two sweeps at once, or twice in a row, never
   duplicate anything (docs/adr/0011-incremental-sweep.md).
2. The deemed approval of overdue steps (超期默认, cases; the candidates come from the
   active-step deadline index).
3. The case events since the last sweep, read once: anomalies, and the open flags of the cases
   those events touched re-checked against their rows (anomalies.py, resolution.py).
4. Supervision orders whose reply is overdue are marked (resolution.py).
5. The parts registered by higher apps (`register_part`: the complaints and the rectifications
   of 差评, issue 15), each with the labels of its counts.

Every per-sweep query is driven by an index, so a sweep with nothing to do costs the same with
a thousand or a million open cases and however many open flags. Never loads the open cases into
Python: only the ids of crossing rows, batch by batch. The records are the only rows written
with raw SQL (onewindow.core.rawwrite, whose docstring is the contract).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases.services import case_deem_approve_overdue_steps
from onewindow.core import clock
from onewindow.supervision import records
from onewindow.supervision.anomalies import events_since_last_sweep
from onewindow.supervision.resolution import orders_overdue

# What each count of a sweep means, for people (the keys stay in the logs).
COUNT_LABELS: dict[str, Promise] = {
    "step_red": gettext_lazy("%(n)s steps overdue (red card)"),
    "step_yellow": gettext_lazy("%(n)s steps close to their deadline (yellow card, reminded)"),
    "case_red": gettext_lazy("%(n)s cases past their promised limit (red card)"),
    "case_yellow": gettext_lazy("%(n)s cases close to their promised limit (yellow card)"),
    "legal_overdue": gettext_lazy("%(n)s cases past their legal limit"),
    "deemed_approved": gettext_lazy("%(n)s overdue steps deemed approved"),
    "anomaly": gettext_lazy("%(n)s anomalies"),
    "resolved": gettext_lazy("%(n)s flags resolved"),
    "order_overdue": gettext_lazy("%(n)s supervision orders not answered in time"),
    "reminder_sms": gettext_lazy("%(n)s reminder text messages queued"),
}
COUNT_ORDER = list(COUNT_LABELS)

SweepPart = Callable[[dt.datetime, Counter[str]], None]
_parts: list[SweepPart] = []


def register_part(part: SweepPart, labels: dict[str, Promise]) -> None:
    """A higher app's share of the sweep (called in `AppConfig.ready()`): `part(now, counts)`
    runs after the cases' share, in its own transactions; `labels` name its counts."""
    if part not in _parts:
        _parts.append(part)
    for key, label in labels.items():
        if key not in COUNT_LABELS:
            COUNT_LABELS[key] = label
            COUNT_ORDER.append(key)


@dataclass
class SweepResult:
    counts: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in sorted(self.counts.items())) or "nothing to do"

    def summary(self) -> str:
        """What the sweep did, in the active language ("" when it did nothing)."""
        parts = [str(COUNT_LABELS[k]) % {"n": self.counts[k]} for k in COUNT_ORDER if self.counts.get(k)]
        other = sum(v for k, v in self.counts.items() if k not in COUNT_LABELS and v)
        if other:
            parts.append(_("%(n)s other changes") % {"n": other})
        return _("; ").join(parts)


def sweep(*, now: dt.datetime | None = None, batch_size: int = 2000) -> SweepResult:
    """One pass of the electronic supervision (see the module docstring)."""
    now = now or clock.now()
    table = calendar_table()
    result = SweepResult()
    counts = result.counts
    records.step_red(now, batch_size, counts, table)
    records.step_yellow(now, batch_size, counts)
    records.case_red(now, batch_size, counts, table)
    records.case_yellow(now, batch_size, counts)
    records.case_legal(now, batch_size, counts)
    deemed = case_deem_approve_overdue_steps(now=now)
    if deemed:
        counts["deemed_approved"] += deemed
    events_since_last_sweep(now, counts)
    orders_overdue(now, counts)
    for part in list(_parts):
        part(now, counts)
    return result
