"""Which cases the clock's system actions must visit (the sweep calls these every minute).

Kept apart from the services so that the queries can be tuned against the deadline indexes
without touching the transitions: the services re-check every candidate under its row lock.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import connection
from django.utils import timezone

from onewindow.calendar.selectors import table as calendar_table
from onewindow.calendar.workdays import WorkingDayTable
from onewindow.cases import clock as case_clock
from onewindow.cases.models import Case, CaseStep, Level
from onewindow.cases.transitions import Status
from onewindow.catalog.models import ServiceItemVersion


def deem_accept_candidates(*, now: dt.datetime, limit: int = 1000) -> list[int]:
    """Ids of received applications (and online ones submitted, awaiting pre-review) whose
    5-working-day answer deadline has passed."""
    return list(
        Case.objects.filter(status__in=(Status.SUBMITTED, Status.RECEIVED), answer_due_at__lt=now)
        .order_by("answer_due_at")
        .values_list("pk", flat=True)[:limit]
    )


def deemed_cutoff(table: WorkingDayTable, now: dt.datetime, days: int) -> dt.datetime:
    """The earliest due moment whose deemed approval is still to come: a step due before it is
    overdue by more than `days` working days at `now` (the services' rule: `now` is past the end
    of the `days`-th working day after the local due date)."""
    day = case_clock.local_date(now)
    one = dt.timedelta(days=1)
    # the end of the days-th working day after a date never comes before that date ends, and it
    # does not go down when the date goes up: walk back to the first date already past
    while case_clock.end_of_nth_working_day(table, day - one, days) >= now:
        day -= one
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _literal_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)  # our own status constants, never user input


def deem_approve_candidates(*, now: dt.datetime, limit: int = 1000) -> list[int]:
    """Ids of cases whose active step is overdue long enough on an item that allows deemed
    approval (the service re-checks each under the case's lock).

    Joined the other way round: first the few item versions that allow it (none: no query on
    the cases at all), then, per number of days, the active steps due before that number's cutoff
    through the partial (level, due_at) index of the active steps, one level at a time (a plain
    equality on the level keeps SQLite on that index even without statistics). The cost is that
    of the active steps overdue by at least the smallest number of days (a backlog of red steps
    of other items is read and dropped every sweep), not of the open cases."""
    by_days: dict[int, list[int]] = defaultdict(list)
    for pk, days in ServiceItemVersion.objects.filter(deemed_approval_days__isnull=False).values_list(
        "pk", "deemed_approval_days"
    ):
        if days is not None:
            by_days[days].append(pk)
    if not by_days:
        return []
    table = calendar_table()
    q = connection.ops.quote_name
    steps, cases = q(CaseStep._meta.db_table), q(Case._meta.db_table)
    running = _literal_list((Status.ACCEPTED, Status.IN_PROGRESS))
    adapt = connection.ops.adapt_datetimefield_value
    cutoffs: dict[int, Any] = {days: adapt(deemed_cutoff(table, now, days)) for days in by_days}
    # one read of the steps due before the latest cutoff; each version's own cutoff in a CASE
    versions = [pk for pks in by_days.values() for pk in pks]
    when = " ".join("WHEN %s THEN %s" for _pk in versions)
    when_params: list[Any] = []
    for days, pks in by_days.items():
        for pk in pks:
            when_params += [pk, cutoffs[days]]
    one = (
        f"SELECT s.due_at, s.case_id FROM {steps} s JOIN {cases} c ON c.id = s.case_id "  # noqa: S608
        f"WHERE s.status = '{CaseStep.Status.ACTIVE}' AND s.level = %s AND s.due_at < %s "
        f"AND c.status IN ({running}) AND c.item_version_id IN ({', '.join(['%s'] * len(versions))}) "
        f"AND s.due_at < CASE c.item_version_id {when} END"
    )
    params: list[Any] = []
    for level in Level.values:
        params += [level, max(cutoffs.values()), *versions, *when_params]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([one] * len(Level.values)), params)
        found: list[tuple[Any, int]] = cursor.fetchall()  # (due_at as stored, case id)
    found.sort()
    return list(dict.fromkeys(pk for _due, pk in found))[:limit]
