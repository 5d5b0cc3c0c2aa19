"""Issue 13 §6, the scenarios with a clock: four items under a 2-day joint limit, three
departments deciding on day 1 and one on day 2 (on time) or day 3 (late); a denied and a
deemed-approved item in one bundle; two departments deciding at the same moment complete the
bundle exactly once. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.approvals import services
from onewindow.approvals.models import BundleCase, BundleEvent
from onewindow.cases.services import case_deem_approve_overdue_steps
from onewindow.cases.tests.conftest import at, calendar_2026, load_calendar_2026  # noqa: F401 - fixture
from onewindow.cases.tests.test_concurrency import run_threads

from .conftest import build_world

# Tuesday 2026-09-01 10:00 accepted; 2 working days → due Thursday 09-03 23:59:59.
ACCEPTED = "2026-09-01 10:00"


@pytest.mark.parametrize(
    ("last_day", "on_time"),
    [("2026-09-02 16:00", True), ("2026-09-03 17:00", True), ("2026-09-04 09:00", False)],
    ids=["day-1", "day-2", "day-3-late"],
)
def test_three_departments_on_day_one_and_the_fourth_later(org, calendar_2026, last_day, on_time) -> None:  # noqa: F811
    world = build_world(
        org, promised_limit=2, item_limits={c: 2 for c in ("SCJG-B1", "GA-B1", "SW-B1", "RS-B1")}
    )
    with at(ACCEPTED):
        bc = world.intake()
    assert bc.due_at.isoformat().startswith("2026-09-03T")
    subs = list(bc.sub_cases.select_related("case").order_by("position"))
    assert all(s.case.due_at <= bc.due_at for s in subs)
    with at("2026-09-02 11:00"):
        for sub in subs[:3]:
            world.decide(sub.case)
    bc.refresh_from_db()
    assert bc.status == BundleCase.Status.IN_PROGRESS
    with at(last_day):
        world.decide(subs[3].case)
    bc.refresh_from_db()
    assert bc.status == BundleCase.Status.DECIDED
    assert bc.events.get(action="decide").data["on_time"] is on_time
    assert bc.events.filter(action="sub_case_decided").count() == 4


def test_a_denied_item_and_a_deemed_approved_item_in_one_bundle(org, calendar_2026) -> None:  # noqa: F811
    world = build_world(org, promised_limit=5, deemed={"RS-B1": 1})
    with at(ACCEPTED):
        bc = world.intake()
    subs = {s.item_code: s.case for s in bc.sub_cases.select_related("case")}
    with at("2026-09-02 10:00"):
        world.decide(subs["SCJG-B1"], grant=False, opinion="注册资本认缴期限不符合规定")
        world.decide(subs["GA-B1"])
        world.decide(subs["SW-B1"])
    # RS-B1: nobody acts; its review step (1 day) is overdue by its deemed-approval days later on
    for moment in ("2026-09-04 10:00", "2026-09-08 10:00", "2026-09-10 10:00"):
        with at(moment):
            case_deem_approve_overdue_steps()
    bc.refresh_from_db()
    assert bc.status == BundleCase.Status.DECIDED, bc.sub_cases.get(item_code="RS-B1").case.status
    results = {r["item_code"]: r for r in bc.events.get(action="decide").data["results"]}
    assert results["SCJG-B1"]["outcome"] == "denied"
    assert "注册资本" in results["SCJG-B1"]["reason"]
    assert results["RS-B1"]["outcome"] == "deemed"
    assert {results[c]["outcome"] for c in ("GA-B1", "SW-B1")} == {"granted"}
    summary = bc.notices.get(kind="decision").data["results"]
    assert [r["outcome"] for r in summary] == ["denied", "granted", "granted", "deemed"]


@pytest.mark.django_db(transaction=True)
def test_two_departments_deciding_at_once_complete_the_bundle_exactly_once(org) -> None:
    load_calendar_2026()
    world = build_world(org, promised_limit=5)
    bc = world.intake()
    subs = list(bc.sub_cases.select_related("case", "case__department").order_by("position"))
    for sub in subs[:2]:
        world.decide(sub.case)
    last_two = [s.case for s in subs[2:]]
    for case in last_two:  # both at their decision step
        from onewindow.cases.services import case_act

        code = case.department.code
        case_act(
            case=case.pk, action="pass_step", version=case.version, actor=world.reviewer(code), opinion="通过"
        )

    def decide(i: int) -> Any:
        from onewindow.cases.models import Case
        from onewindow.cases.services import case_act

        case = Case.objects.select_related("department").get(pk=last_two[i].pk)
        code = case.department.code
        return case_act(
            case=case.pk, action="grant", version=case.version, actor=world.approver(code), opinion="同意"
        )

    results, errors = run_threads(2, decide)
    assert errors == [] and len(results) == 2
    bc.refresh_from_db()
    assert bc.status == BundleCase.Status.DECIDED
    assert BundleEvent.objects.filter(bundle_case=bc, action="decide").count() == 1
    assert BundleEvent.objects.filter(bundle_case=bc, action="sub_case_decided").count() == 4
    seqs = list(BundleEvent.objects.filter(bundle_case=bc).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, bc.version + 1))


@pytest.mark.django_db(transaction=True)
def test_two_clerks_delivering_at_once_one_success_one_conflict(org) -> None:
    load_calendar_2026()
    world = build_world(org, promised_limit=5)
    bc = world.intake()
    for sub in bc.sub_cases.select_related("case"):
        world.decide(sub.case)
    bc.refresh_from_db()
    version = bc.version

    def deliver(i: int) -> Any:
        return services.bundle_case_act(
            bundle_case=bc.pk,
            action="deliver",
            version=version,
            actor=world.org.user("clerk"),
            method="pickup",
            recipient_relation="legal_representative",
            recipient_name="张三",
            recipient_id_number="11010519491231002X",
        )

    results, errors = run_threads(2, deliver)
    assert len(results) == 1 and len(errors) == 1
    from onewindow.core.errors import Conflict

    assert isinstance(errors[0], Conflict)
    assert BundleEvent.objects.filter(bundle_case=bc, action="deliver").count() == 1
