"""Issue 13 §2 "Supervision": the bundle's own yellow/red level from its joint clock, the late
sub-cases shown as holding it up (department, step, handler), the 一件事 panel of the supervisor
board, and the ordinary supervision of a late sub-case (order and accountability go to its
department). Time is frozen (time-machine); the 2026 calendar of the cases tests applies.

The bundle of `build_world(promised_limit=4)` is accepted on Monday 2026-09-07 10:00: joint due
at the end of Friday 09-11, yellow from 09-11 00:00 (1 working day left). Its four sub-cases (2
working days each: review 1 + decide 1) are due at the end of Wednesday 09-09, their review
steps at the end of Tuesday 09-08.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from onewindow.approvals.holdups import bundles_on_board, holdups
from onewindow.approvals.levels import bundle_levels_sweep, set_bundle_warn_at
from onewindow.approvals.models import BundleCase
from onewindow.cases.facts import Level
from onewindow.cases.models import CaseStep
from onewindow.cases.tests.conftest import at, calendar_2026, local  # noqa: F401
from onewindow.supervision.models import AccountabilityRecord, Flag, SupervisionOrder
from onewindow.supervision.selectors import forget_thresholds
from onewindow.supervision.sweep import sweep

from .conftest import BundleWorld, build_world

ACCEPTED = "2026-09-07 10:00"
JOINT_DUE = local("2026-09-11 23:59:59")
JOINT_WARN = local("2026-09-11 00:00")
EPS = dt.timedelta(microseconds=1)


@pytest.fixture(autouse=True)
def _fresh_thresholds() -> Any:
    forget_thresholds()
    yield
    forget_thresholds()


@pytest.fixture
def joint(org: Any, calendar_2026: None) -> BundleWorld:  # noqa: F811
    return build_world(org, promised_limit=4)


def accept(world: BundleWorld) -> BundleCase:
    with at(ACCEPTED):
        return world.intake()


def subs_by_dept(bc: BundleCase) -> dict[str, Any]:
    return {s.department.code: s for s in bc.sub_cases.select_related("case", "department")}


def decide_all_but(world: BundleWorld, bc: BundleCase, late: str, when: str = "2026-09-08 15:00") -> None:
    with at(when):
        for code, sub in subs_by_dept(bc).items():
            if code != late:
                world.decide(sub.case)


# --- the bundle's level ------------------------------------------------------------------------


@pytest.mark.django_db
def test_warn_at_is_computed_like_a_case(joint: BundleWorld) -> None:
    bc = accept(joint)
    assert bc.due_at == JOINT_DUE
    set_bundle_warn_at(bc)
    assert bc.warn_at == JOINT_WARN
    # a 10-day promise: 20 % = 2 working days left → yellow after the 8th working day (09-17)
    bc.promised_limit, bc.due_at = 10, local("2026-09-21 23:59:59")
    set_bundle_warn_at(bc)
    assert bc.warn_at == local("2026-09-18 00:00")


@pytest.mark.parametrize(
    ("moment", "level", "changed"),
    [
        (local("2026-09-10 23:59:59"), Level.GREEN, 0),
        (JOINT_WARN - EPS, Level.GREEN, 0),
        (JOINT_WARN, Level.YELLOW, 1),
        (JOINT_DUE, Level.YELLOW, 1),  # the deadline itself is not past
        (JOINT_DUE + dt.timedelta(seconds=1), Level.RED, 1),
        (local("2026-09-14 10:00"), Level.RED, 1),
    ],
)
@pytest.mark.django_db
def test_level_follows_the_joint_clock(
    joint: BundleWorld, moment: dt.datetime, level: int, changed: int
) -> None:
    bc = accept(joint)
    assert bundle_levels_sweep(now=moment) == changed
    bc.refresh_from_db()
    assert (bc.level, bc.warn_at) == (level, JOINT_WARN)
    assert bundle_levels_sweep(now=moment) == 0  # idempotent


@pytest.mark.django_db
def test_green_then_yellow_then_red_as_time_passes(joint: BundleWorld) -> None:
    bc = accept(joint)
    seen = []
    for moment in ("2026-09-08 10:00", "2026-09-11 09:00", "2026-09-12 09:00"):
        bundle_levels_sweep(now=local(moment))
        bc.refresh_from_db()
        seen.append(bc.level)
    assert seen == [Level.GREEN, Level.YELLOW, Level.RED]


@pytest.mark.django_db
def test_a_moved_deadline_takes_the_level_back(joint: BundleWorld) -> None:
    bc = accept(joint)
    bundle_levels_sweep(now=local("2026-09-12 09:00"))
    # an approved extension of 5 working days moves the joint due to 09-18
    BundleCase.objects.filter(pk=bc.pk).update(extension_days=5, due_at=local("2026-09-18 23:59:59"))
    bc.refresh_from_db()
    set_bundle_warn_at(bc, now=local("2026-09-12 09:00"))
    assert bc.level == Level.GREEN and bc.warn_at == local("2026-09-18 00:00")
    BundleCase.objects.filter(pk=bc.pk).update(level=Level.RED, warn_at=bc.warn_at)
    assert bundle_levels_sweep(now=local("2026-09-12 09:00")) == 1  # the sweep corrects it too
    bc.refresh_from_db()
    assert bc.level == Level.GREEN


@pytest.mark.django_db
def test_a_paused_bundle_keeps_its_level_and_a_delivered_one_is_ignored(joint: BundleWorld) -> None:
    paused = accept(joint)
    bundle_levels_sweep(now=local("2026-09-11 09:00"))
    BundleCase.objects.filter(pk=paused.pk).update(status=BundleCase.Status.CORRECTION_IN_PROGRESS)
    assert bundle_levels_sweep(now=local("2026-09-14 09:00")) == 0
    paused.refresh_from_db()
    assert paused.level == Level.YELLOW
    BundleCase.objects.filter(pk=paused.pk).update(status=BundleCase.Status.DELIVERED, level=Level.GREEN)
    assert bundle_levels_sweep(now=local("2026-09-14 09:00")) == 0
    paused.refresh_from_db()
    assert paused.level == Level.GREEN


@pytest.mark.django_db
def test_one_update_per_batch(joint: BundleWorld, django_assert_max_num_queries: Any) -> None:
    for _ in range(3):
        accept(joint)
    BundleCase.objects.update(warn_at=None)
    # read the missing warn_at, the center's thresholds, write them, read the crossings, write
    with django_assert_max_num_queries(6):
        assert bundle_levels_sweep(now=local("2026-09-12 09:00")) == 3
    assert set(BundleCase.objects.values_list("level", flat=True)) == {Level.RED}


def test_the_task_runs_every_minute() -> None:
    from onewindow.approvals import tasks

    task = tasks.bundle_levels.task_class()
    assert task.validate_datetime(dt.datetime(2026, 9, 7, 10, 1))
    assert task.validate_datetime(dt.datetime(2026, 9, 7, 10, 2))


# --- who holds the bundle up -------------------------------------------------------------------


@pytest.mark.django_db
def test_holdups_name_the_late_department_step_and_handler(joint: BundleWorld) -> None:
    bc = accept(joint)
    decide_all_but(joint, bc, "GA")
    late = subs_by_dept(bc)["GA"].case
    assert holdups(bc, now=local("2026-09-08 15:00")) == []  # nobody late yet
    handler = joint.reviewer("GA")
    handler.full_name = "李警官"
    handler.save(update_fields=["full_name"])
    CaseStep.objects.filter(case=late, status=CaseStep.Status.ACTIVE).update(assignee=handler)
    found = holdups(bc, now=local("2026-09-09 09:00"))  # its review step was due 09-08
    assert len(found) == 1
    h = found[0]
    assert (h.number, h.item_name, h.department_name, h.step_name, h.handler) == (
        late.number,
        "GA事项",
        "公安局",
        "审查",
        "李警官",
    )
    assert h.level == Level.RED and h.level_key == "red"
    assert h.due_at == local("2026-09-08 23:59:59")


@pytest.mark.django_db
def test_an_unassigned_step_names_its_post_and_yellow_counts_too(joint: BundleWorld) -> None:
    bc = accept(joint)
    decide_all_but(joint, bc, "SW")
    sweep(now=local("2026-09-08 12:00"))  # the review step (due 09-08) is at yellow
    (h,) = holdups(bc, now=local("2026-09-08 12:00"))
    assert h.department_name == "税务局" and h.level == Level.YELLOW
    step = CaseStep.objects.select_related("post").get(case__number=h.number, status="active")
    assert h.handler == step.post.name


@pytest.mark.django_db
def test_the_board_lists_held_up_bundles_in_scope_in_few_queries(
    joint: BundleWorld, django_assert_max_num_queries: Any
) -> None:
    late = accept(joint)
    decide_all_but(joint, late, "GA")
    on_time = accept(joint)  # nobody late: not on the board
    others = [accept(joint) for _ in range(3)]
    now = local("2026-09-10 10:00")
    for bc in [on_time, *others]:
        for sub in subs_by_dept(bc).values():
            CaseStep.objects.filter(case=sub.case).update(due_at=local("2026-09-11 23:59:59"))
            type(sub.case).objects.filter(pk=sub.case.pk).update(due_at=local("2026-09-11 23:59:59"))
    for bc in others:
        BundleCase.objects.filter(pk=bc.pk).update(level=Level.YELLOW)
    supervisor = joint.org.user("supervisor")
    with django_assert_max_num_queries(4):
        board = bundles_on_board(joint.org.center, supervisor, now=now)
    assert {b.number for b in board} == {late.number, *(o.number for o in others)}
    row = next(b for b in board if b.number == late.number)
    assert row.level == Level.GREEN  # the bundle itself is still on time
    assert [(h.department_name, h.step_name) for h in row.holdups] == [("公安局", "审查")]
    # a department account sees the bundles its department has a sub-case in
    assert {b.number for b in bundles_on_board(joint.org.center, joint.reviewer("GA"), now=now)} == {
        b.number for b in board
    }
    from tests.factories import make_user

    stranger_dept = type(joint.depts["GA"]).objects.create(center=joint.org.center, code="JT", name="交通局")
    stranger = make_user("jt-clerk", center=joint.org.center, department=stranger_dept, roles=("reviewer",))
    assert bundles_on_board(joint.org.center, stranger, now=now) == []


# --- the late sub-case is supervised like any case ---------------------------------------------


@pytest.mark.django_db
def test_a_red_sub_case_gets_its_order_and_accountability_in_its_department(joint: BundleWorld) -> None:
    bc = accept(joint)
    decide_all_but(joint, bc, "GA")
    late = subs_by_dept(bc)["GA"].case
    counts = sweep(now=local("2026-09-10 10:00")).counts
    assert counts["step_red"] == 1 and counts["case_red"] == 1
    late.refresh_from_db()
    assert late.level == Level.RED
    order = SupervisionOrder.objects.get(case=late)
    assert order.status == "open"
    records = AccountabilityRecord.objects.filter(case=late)
    assert records.exists() and {r.department.code for r in records} == {"GA"}
    assert Flag.objects.filter(case=late, kind="case_red").exists()
    # only the late department is concerned
    assert not SupervisionOrder.objects.filter(case__bundle_link__bundle_case=bc).exclude(case=late).exists()
    (h,) = holdups(bc, now=local("2026-09-10 10:00"))
    assert h.department_name == "公安局" and h.level == Level.RED


# --- the board's panel -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_panel_renders_for_a_supervisor_in_chinese(joint: BundleWorld, client: Any) -> None:
    bc = accept(joint)
    decide_all_but(joint, bc, "GA")
    with at("2026-09-12 10:00"):
        sweep()
        bundle_levels_sweep()
        client.force_login(joint.org.user("supervisor"))
        page = client.get(reverse("web:supervision"), HTTP_ACCEPT_LANGUAGE="zh-hans")
        panel = client.get(reverse("web:supervision_bundles"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and panel.status_code == 200
    html = page.content.decode()
    assert "一件事" in html and "卡在" in html
    body = panel.content.decode()
    assert f'data-bundle="{bc.number}" data-bundle-level="red"' in body
    assert "企业开办一件事" in body and "公安局" in body and "审查" in body
    assert "联办办结时限" in body and "2026-09-11 23:59" in body


@pytest.mark.django_db
def test_the_panel_needs_the_supervise_permission(joint: BundleWorld, client: Any) -> None:
    client.force_login(joint.org.user("clerk"))
    assert client.get(reverse("web:supervision_bundles")).status_code == 403
