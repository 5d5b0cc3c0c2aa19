"""The queue's figures (issue 16 §6, wave2.md §4.1 "queue"): read-only selectors over the tickets,
the window status ledger and the appointments of a center in a range of local dates.

Definitions (docs/domain/queue-figures.md):

* a ticket belongs to the range by its `date` (the local day it was issued);
* wait = first call − issue (`first_called_at − issued_at`), of the tickets ever called;
* service = end − start (`finished_at − started_at`), of the served tickets;
* p90 is the nearest-rank percentile: the smallest value with at least 90 % of the values at or
  below it (the same on SQLite and PostgreSQL: the values are fetched per group, computed here);
* utilisation of a window = its service seconds ÷ its open seconds, open seconds being the
  `WindowStatusPeriod` rows with status open clipped to the range (an open period still running
  counts until now); paused, away and closed time is not open time.

Every function takes a `Scope` (center, first and last day, optionally a business, a window, a
clerk). Counting is done by the database (`Count(filter=…)`); averages and percentiles of the
durations are computed in Python from one fetch of the seconds per group.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from onewindow.appointments.models import Booking, BusinessType
from onewindow.core import clock
from onewindow.core.errors import ValidationFailed
from onewindow.hall.models import Ticket, WindowStatusPeriod
from onewindow.org.models import User, Window

MAX_DAYS = 366


@dataclass(frozen=True)
class Scope:
    center_id: int
    start: dt.date
    end: dt.date
    business_id: int | None = None
    window_id: int | None = None
    staff_id: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def local_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[first day 00:00, day after the last 00:00) in the center's zone."""
        zone = clock.zone()
        return (
            dt.datetime.combine(self.start, dt.time(), tzinfo=zone),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=zone),
        )


def scope_make(
    *,
    center_id: int,
    start: dt.date,
    end: dt.date,
    business_id: int | None = None,
    window_id: int | None = None,
    staff_id: int | None = None,
) -> Scope:
    """A checked scope: ValidationFailed (422) when the range runs backwards or is over a year,
    or the business or window is not the center's."""
    if end < start:
        raise ValidationFailed(
            _("The end of the range is before its start."),
            code="invalid_range",
            details={"to": [_("Choose a day on or after %(start)s.") % {"start": start.isoformat()}]},
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationFailed(
            _("Choose a range of at most %(days)s days.") % {"days": MAX_DAYS},
            code="range_too_long",
            details={"to": [_("At most %(days)s days.") % {"days": MAX_DAYS}]},
        )
    if (
        business_id is not None
        and not BusinessType.objects.filter(pk=business_id, center_id=center_id).exists()
    ):
        raise ValidationFailed(
            _("Unknown business type."), code="unknown_business", details={"business": [_("Not found.")]}
        )
    if window_id is not None and not Window.objects.filter(pk=window_id, center_id=center_id).exists():
        raise ValidationFailed(
            _("Unknown window."), code="unknown_window", details={"window": [_("Not found.")]}
        )
    return Scope(center_id, start, end, business_id, window_id, staff_id)


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A rate with what it is made of: numerator ÷ denominator (None when nothing to divide)."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> str:
        value = self.value
        return "–" if value is None else f"{value * 100:.1f}%"


@dataclass(frozen=True)
class Durations:
    """Count, average and p90 of durations in seconds (None when there are none)."""

    count: int
    average: float | None
    p90: int | None

    @classmethod
    def of(cls, seconds: Iterable[int]) -> Durations:
        values = sorted(seconds)
        if not values:
            return cls(0, None, None)
        return cls(len(values), sum(values) / len(values), p90(values))


def p90(sorted_values: list[int]) -> int:
    """The nearest-rank 90th percentile of non-empty, sorted values."""
    rank = math.ceil(0.9 * len(sorted_values))
    return sorted_values[max(rank, 1) - 1]


@dataclass(frozen=True)
class Totals:
    issued: int
    served: int
    skipped: int
    void: int
    not_served: int
    active: int  # still waiting, called or being served (today)
    appointment_tickets: int
    priority_tickets: int
    appointments_missed: int
    appointments_kept: int  # checked in

    @property
    def counted(self) -> int:
        """Issued and not void: the tickets of people who came to the queue."""
        return self.issued - self.void

    @property
    def served_rate(self) -> Rate:
        return Rate(self.served, self.counted)

    @property
    def queue_no_shows(self) -> int:
        return self.skipped + self.not_served

    @property
    def queue_no_show_rate(self) -> Rate:
        return Rate(self.queue_no_shows, self.counted)

    @property
    def appointment_no_show_rate(self) -> Rate:
        return Rate(self.appointments_missed, self.appointments_missed + self.appointments_kept)


@dataclass(frozen=True)
class HourLoad:
    hour: int
    issued: int
    waiting: int  # summed over the range's days: tickets waiting at HH:00
    days: int  # the days of the range with tickets (the divisor of the average)

    @property
    def waiting_average(self) -> float:
        return self.waiting / self.days if self.days else 0.0


@dataclass(frozen=True)
class GroupTimes:
    key: int | None
    label: str
    tickets: int
    wait: Durations
    service: Durations


@dataclass(frozen=True)
class Utilisation:
    window_id: int
    label: str
    service_seconds: int
    open_seconds: int
    served: int

    @property
    def rate(self) -> Rate:
        return Rate(self.service_seconds, self.open_seconds)


@dataclass(frozen=True)
class ClerkLoad:
    staff_id: int
    username: str
    name: str
    called: int
    served: int
    skipped: int
    service: Durations


@dataclass(frozen=True)
class QueueFigures:
    scope: Scope
    totals: Totals
    wait: Durations
    service: Durations
    hours: list[HourLoad] = field(default_factory=list)
    by_business: list[GroupTimes] = field(default_factory=list)
    by_window: list[GroupTimes] = field(default_factory=list)
    utilisation: list[Utilisation] = field(default_factory=list)
    clerks: list[ClerkLoad] = field(default_factory=list)


# --- selectors ------------------------------------------------------------------------------


def tickets_in(scope: Scope) -> QuerySet[Ticket]:
    qs = Ticket.objects.filter(center_id=scope.center_id, date__gte=scope.start, date__lte=scope.end)
    if scope.business_id is not None:
        qs = qs.filter(business_id=scope.business_id)
    if scope.window_id is not None:
        qs = qs.filter(window_id=scope.window_id)
    if scope.staff_id is not None:
        qs = qs.filter(staff_id=scope.staff_id)
    return qs


def totals(scope: Scope) -> Totals:
    """One aggregate over the tickets, one over the appointments (of the business when given;
    a window or clerk filter does not apply to appointments)."""
    status = Ticket.Status
    row = tickets_in(scope).aggregate(
        issued=Count("pk"),
        served=Count("pk", filter=Q(status=status.SERVED)),
        skipped=Count("pk", filter=Q(status=status.SKIPPED)),
        void=Count("pk", filter=Q(status=status.VOID)),
        not_served=Count("pk", filter=Q(status=status.NOT_SERVED)),
        active=Count("pk", filter=Q(status__in=Ticket.ACTIVE)),
        appointment=Count("pk", filter=Q(source=Ticket.Source.APPOINTMENT)),
        priority=Count("pk", filter=Q(priority=True)),
    )
    bookings = Booking.objects.filter(
        business__center_id=scope.center_id, date__gte=scope.start, date__lte=scope.end
    )
    if scope.business_id is not None:
        bookings = bookings.filter(business_id=scope.business_id)
    kept = bookings.aggregate(
        missed=Count("pk", filter=Q(status=Booking.Status.MISSED)),
        kept=Count("pk", filter=Q(status=Booking.Status.CHECKED_IN)),
    )
    return Totals(
        issued=row["issued"],
        served=row["served"],
        skipped=row["skipped"],
        void=row["void"],
        not_served=row["not_served"],
        active=row["active"],
        appointment_tickets=row["appointment"],
        priority_tickets=row["priority"],
        appointments_missed=kept["missed"],
        appointments_kept=kept["kept"],
    )


def hourly_load(scope: Scope, *, now: dt.datetime | None = None) -> list[HourLoad]:
    """Per local hour: tickets issued in that hour, and tickets waiting at HH:00 (issued before,
    not yet called nor closed), summed over the days of the range up to now, and the number of
    days with tickets (to average it). Hours from the first to the last with anything to show
    (at least 08–17); void tickets are left out."""
    now = now or clock.now()
    rows = list(
        tickets_in(scope)
        .exclude(status=Ticket.Status.VOID)
        .values_list("date", "issued_at", "first_called_at", "closed_at")
    )
    issued: dict[int, int] = defaultdict(int)
    for _day, at, _called, _closed in rows:
        issued[clock.local(at).hour] += 1
    by_day: dict[dt.date, list[tuple[dt.datetime, dt.datetime | None]]] = defaultdict(list)
    for day, at, called, closed in rows:
        ends = [moment for moment in (called, closed) if moment is not None]
        by_day[day].append((at, min(ends) if ends else None))
    hours = sorted({*issued, *range(8, 18)})
    zone = clock.zone()
    waiting: dict[int, int] = defaultdict(int)
    for day, spans in by_day.items():
        for hour in range(hours[0], hours[-1] + 1):
            mark = dt.datetime.combine(day, dt.time(hour), tzinfo=zone)
            if mark > now:
                break
            waiting[hour] += sum(1 for at, until in spans if at < mark and (until is None or until > mark))
    days = len(by_day)
    return [
        HourLoad(hour=h, issued=issued[h], waiting=waiting[h], days=days)
        for h in range(hours[0], hours[-1] + 1)
    ]


def _seconds(later: dt.datetime | None, earlier: dt.datetime | None) -> int | None:
    if later is None or earlier is None:
        return None
    return max(0, int((later - earlier).total_seconds()))


def _group_times(
    rows: Sequence[
        tuple[int | None, dt.datetime, dt.datetime | None, dt.datetime | None, dt.datetime | None]
    ],
    labels: dict[int, str],
) -> list[GroupTimes]:
    waits: dict[int | None, list[int]] = defaultdict(list)
    services: dict[int | None, list[int]] = defaultdict(list)
    counts: dict[int | None, int] = defaultdict(int)
    for key, issued_at, first_called_at, started_at, finished_at in rows:
        counts[key] += 1
        wait = _seconds(first_called_at, issued_at)
        if wait is not None:
            waits[key].append(wait)
        service = _seconds(finished_at, started_at)
        if service is not None:
            services[key].append(service)
    out = [
        GroupTimes(
            key=key,
            label=labels.get(key, "") if key is not None else "",
            tickets=counts[key],
            wait=Durations.of(waits[key]),
            service=Durations.of(services[key]),
        )
        for key in counts
    ]
    return sorted(out, key=lambda g: (g.key is None, g.label))


def times_by_business(scope: Scope) -> list[GroupTimes]:
    """Average and p90 wait, average service per business type (void tickets left out)."""
    rows = list(
        tickets_in(scope)
        .exclude(status=Ticket.Status.VOID)
        .values_list("business_id", "issued_at", "first_called_at", "started_at", "finished_at")
    )
    labels = {b.pk: f"{b.letter} {b.name}" for b in BusinessType.objects.filter(center_id=scope.center_id)}
    return _group_times(rows, labels)


def times_by_window(scope: Scope) -> list[GroupTimes]:
    """Average and p90 wait, average service per window (the window that called the ticket)."""
    rows = list(
        tickets_in(scope)
        .filter(window__isnull=False)
        .values_list("window_id", "issued_at", "first_called_at", "started_at", "finished_at")
    )
    return _group_times(rows, _window_labels(scope.center_id))


def _window_labels(center_id: int) -> dict[int, str]:
    return {w.pk: f"{w.code} {w.name}" for w in Window.objects.filter(center_id=center_id)}


def overall_times(scope: Scope) -> tuple[Durations, Durations]:
    rows = list(
        tickets_in(scope)
        .exclude(status=Ticket.Status.VOID)
        .values_list("issued_at", "first_called_at", "started_at", "finished_at")
    )
    waits = [w for w in (_seconds(c, i) for i, c, _s, _f in rows) if w is not None]
    services = [s for s in (_seconds(f, st) for _i, _c, st, f in rows) if s is not None]
    return Durations.of(waits), Durations.of(services)


def scope_windows(scope: Scope) -> QuerySet[Window]:
    windows = Window.objects.filter(center_id=scope.center_id, active=True)
    if scope.window_id is not None:
        windows = windows.filter(pk=scope.window_id)
    if scope.business_id is not None:
        served = BusinessType.windows.through.objects.filter(businesstype_id=scope.business_id)
        windows = windows.filter(pk__in=served.values("window_id"))
    return windows.order_by("code")


def utilisation(scope: Scope, *, now: dt.datetime | None = None) -> list[Utilisation]:
    """Per window: service seconds (started → finished, a ticket being served counts until now)
    ÷ open seconds (its `open` status periods clipped to the range and to now). Windows with
    neither are left out."""
    now = now or clock.now()
    begin, end = scope.local_bounds()
    end = min(end, now)
    windows = list(scope_windows(scope))
    ids = [w.pk for w in windows]
    periods = WindowStatusPeriod.objects.filter(window_id__in=ids, status="open", started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=begin)
    )
    if scope.staff_id is not None:
        periods = periods.filter(staff_id=scope.staff_id)
    open_seconds: dict[int, int] = defaultdict(int)
    for window_id, started_at, ended_at in periods.values_list("window_id", "started_at", "ended_at"):
        lo, hi = max(started_at, begin), min(ended_at or now, end)
        if hi > lo:
            open_seconds[window_id] += int((hi - lo).total_seconds())
    service_seconds: dict[int, int] = defaultdict(int)
    served: dict[int, int] = defaultdict(int)
    tickets = (
        tickets_in(scope)
        .filter(window_id__in=ids, started_at__isnull=False)
        .values_list("window_id", "status", "started_at", "finished_at")
    )
    for window_id, status, service_start, service_end in tickets:
        finish = service_end or (now if status == Ticket.Status.SERVING else None)
        seconds = _seconds(finish, service_start)
        if seconds:
            service_seconds[window_id] += seconds
        if status == Ticket.Status.SERVED:
            served[window_id] += 1
    return [
        Utilisation(
            window_id=w.pk,
            label=f"{w.code} {w.name}",
            service_seconds=service_seconds[w.pk],
            open_seconds=open_seconds[w.pk],
            served=served[w.pk],
        )
        for w in windows
        if open_seconds[w.pk] or service_seconds[w.pk]
    ]


def clerk_load(scope: Scope) -> list[ClerkLoad]:
    """Per clerk (the staff member who called the ticket): called, served, skipped, service."""
    status = Ticket.Status
    called = tickets_in(scope).filter(staff__isnull=False)
    counts = called.values("staff_id").annotate(
        called=Count("pk"),
        served=Count("pk", filter=Q(status=status.SERVED)),
        skipped=Count("pk", filter=Q(status=status.SKIPPED)),
    )
    services: dict[int, list[int]] = defaultdict(list)
    for staff_id, started_at, finished_at in called.filter(status=status.SERVED).values_list(
        "staff_id", "started_at", "finished_at"
    ):
        seconds = _seconds(finished_at, started_at)
        if seconds is not None:
            services[staff_id].append(seconds)
    users = {u.pk: u for u in User.objects.filter(pk__in=[c["staff_id"] for c in counts])}
    out = [
        ClerkLoad(
            staff_id=c["staff_id"],
            username=users[c["staff_id"]].username,
            name=users[c["staff_id"]].display_name,
            called=c["called"],
            served=c["served"],
            skipped=c["skipped"],
            service=Durations.of(services[c["staff_id"]]),
        )
        for c in counts
    ]
    return sorted(out, key=lambda c: (-c.served, c.username))


def queue_figures(scope: Scope, *, now: dt.datetime | None = None) -> QueueFigures:
    """Every figure of the scope."""
    now = now or clock.now()
    wait, service = overall_times(scope)
    return QueueFigures(
        scope=scope,
        totals=totals(scope),
        wait=wait,
        service=service,
        hours=hourly_load(scope, now=now),
        by_business=times_by_business(scope),
        by_window=times_by_window(scope),
        utilisation=utilisation(scope, now=now),
        clerks=clerk_load(scope),
    )


def minutes(seconds: float | int | None) -> str:
    """Seconds as minutes with one decimal ("–" for none): how the page and the export show them."""
    return "–" if seconds is None else f"{seconds / 60:.1f}"
