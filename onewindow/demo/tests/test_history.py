"""The demo history (onewindow.demo.history): written through the real services with a moved
clock, deterministic, written once, with a center's mix and a populated supervision board."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction

from onewindow.cases.facts import Status
from onewindow.cases.models import Case, CaseEvent, CaseExtension
from onewindow.core import clock
from onewindow.core.models import AuditEntry
from onewindow.demo.history import MARKER, STILL_OPEN, history_written, load_history
from onewindow.demo.loader import load_demo
from onewindow.org.models import Center, User
from onewindow.supervision.models import AccountabilityRecord, Reminder, SupervisionOrder
from onewindow.supervision.selectors import board, forecast

pytestmark = pytest.mark.django_db

SH = dt.timezone(dt.timedelta(hours=8))
UNTIL = dt.datetime(2026, 12, 7, 11, 0, tzinfo=SH)


def _signature() -> list[tuple[str, str, str, int]]:
    return sorted(Case.objects.values_list("receipt_number", "item_version__item__code", "status", "version"))


@pytest.fixture
def center() -> Center:
    load_demo(history=False)
    return Center.objects.get(code="SFS")


def test_the_same_seed_and_day_give_the_same_history(center):
    runs = []
    for _ in range(2):
        with transaction.atomic():
            load_history(center=center, count=60, until=UNTIL)
            runs.append((_signature(), Counter(CaseEvent.objects.values_list("action", flat=True))))
            transaction.set_rollback(True)
    assert runs[0][0] and runs[0] == runs[1]
    with transaction.atomic():
        load_history(center=center, count=60, until=UNTIL, seed=7)
        assert _signature() != runs[0][0]
        transaction.set_rollback(True)


def test_history_has_a_centers_mix_a_populated_board_and_is_written_once(center):
    summary = load_history(center=center, count=400, until=UNTIL)
    assert not summary.skipped and summary.cases == 400
    assert not [key for key in summary.fallbacks if key.startswith("stopped")]  # no action refused
    assert not clock.is_frozen()
    cases = Case.objects.filter(center=center, joint=False)  # the bundles' sub-cases are apart
    n = cases.count()
    assert n == 400
    share = lambda qs: qs.count() / n  # noqa: E731

    # the mix of a center (bounds wide enough for 400 cases)
    assert 0.30 <= share(cases.filter(is_instant=True)) <= 0.50
    assert 0.01 <= share(cases.filter(status=Status.REFUSED)) <= 0.08
    assert 0.03 <= share(cases.filter(correction_count__gt=0)) <= 0.18
    assert 0.005 <= share(cases.filter(pk__in=CaseExtension.objects.values("case"))) <= 0.10
    assert CaseExtension.objects.filter(status="approved").exists()
    assert CaseExtension.objects.filter(status="rejected").exists()
    assert cases.filter(
        pauses__kind__in=["expert_review", "inspection", "testing", "on_site_survey", "hearing"]
    ).exists()
    assert 0.08 <= share(cases.filter(channel="online")) <= 0.6
    assert cases.values("window").distinct().count() >= 8
    assert cases.values("item_version__item").distinct().count() >= 40
    late = cases.filter(completed_at__isnull=False, due_at__isnull=False).extra(
        where=["completed_at > due_at"]
    )
    assert 0.01 <= late.count() / n <= 0.25
    assert 0.06 <= share(cases.filter(status__in=STILL_OPEN)) <= 0.20
    assert CaseEvent.objects.filter(action="deem_approve_step").exists()

    # the events happened over three months before "today", in working hours mostly
    first = CaseEvent.objects.order_by("at").first()
    last = CaseEvent.objects.order_by("-at").first()
    assert first is not None and last is not None
    assert UNTIL - dt.timedelta(days=92) <= first.at and last.at <= UNTIL
    assert (UNTIL - first.at).days >= 80

    # supervision: reminders, orders (replied, closed), accountability records (appealed, decided)
    assert Reminder.objects.exists()
    assert SupervisionOrder.objects.filter(status="closed").exists()
    assert SupervisionOrder.objects.filter(status__in=["open", "overdue"]).exists()
    assert AccountabilityRecord.objects.exists()
    assert AccountabilityRecord.objects.exclude(status="active").exists()

    # the board and the forecast at "today": green, yellow and red open cases or steps
    supervisor = User.objects.get(username="supervisor")
    with clock.frozen_at(UNTIL):
        now = board(user=supervisor)
        coming = forecast(user=supervisor, at=UNTIL + dt.timedelta(days=3))
    assert now.cases.green > 0 and now.steps.green > 0
    assert now.cases.yellow + now.steps.yellow > 0
    assert now.cases.red + now.steps.red > 0
    assert coming.yellow or coming.red

    # written once: a second run adds nothing, and load_demo says so
    assert history_written(center)
    assert AuditEntry.objects.filter(action=MARKER).count() == 1
    again = load_history(center=center, count=400, until=UNTIL)
    assert again.skipped and Case.objects.filter(joint=False).count() == 400
    total = Case.objects.exclude(channel=Case.Channel.ONLINE).count()
    summary_again = load_demo()  # the online hall's demo comes now, for the first time
    assert summary_again.history is not None and summary_again.history.skipped
    assert Case.objects.exclude(channel=Case.Channel.ONLINE).count() == total
    with_online = Case.objects.count()
    load_demo()
    assert Case.objects.count() == with_online


def test_instant_items_are_completed_at_the_window_in_one_sitting(center):
    """The demo delegates its instant items to the windows that accept them (窗口授权), so the
    history completes them at intake in one sitting; none has to be applied for online."""
    summary = load_history(center=center, count=40, until=UNTIL)
    at_window = Case.objects.filter(is_instant=True, channel="window")
    assert at_window.filter(status__in=[Status.COMPLETED, Status.DELIVERED]).exists()
    one_sitting = at_window.filter(status__in=[Status.COMPLETED, Status.DELIVERED]).first()
    assert one_sitting is not None
    actions = list(one_sitting.events.order_by("seq").values_list("action", flat=True))
    assert actions[:2] == ["receive", "accept"] and "complete" in actions
    assert summary.fallbacks["instant_online"] == 0
    assert not [key for key in summary.fallbacks if key.startswith("stopped")]


def test_the_demo_delegates_its_instant_items_once(center):
    """Every instant item is delegated to the windows that may accept it; a second load adds none."""
    from onewindow.catalog.models import WindowDelegation

    delegations = WindowDelegation.objects.filter(window__center=center, active=True)
    assert delegations.exists()
    assert {d.item.published_version.handling_type for d in delegations} == {"instant"}
    count = delegations.count()
    summary = load_demo(history=False)
    assert summary.created.get("delegations", 0) == 0 and delegations.count() == count
