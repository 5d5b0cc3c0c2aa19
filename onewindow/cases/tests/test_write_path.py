"""The write path (effects, persistence): the effects table covers the state table, every check
runs before the commit, and an action writes only the columns it changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import F

from onewindow.cases import effects, params, persistence
from onewindow.cases import transitions as T
from onewindow.cases.models import Case, CaseEvent, CaseStep, Status
from onewindow.cases.tests.conftest import act, intake, item
from onewindow.core.errors import Conflict


def test_the_effects_are_the_actions_of_the_table() -> None:
    assert set(effects.EFFECTS) == set(T.ACTIONS) == {action for _status, action in T.TABLE}


def test_every_action_has_its_parameters_label_and_help() -> None:
    """What a newcomer adding an action must fill in besides the table and the effect."""
    assert set(params.ACTION_PARAMS) == set(T.ACTIONS)
    assert set(params.ACTION_HELP) == set(T.ACTIONS)
    assert set(params.ACTION_LABELS) == set(T.ACTIONS) | {T.SUBMIT, T.RECEIVE}


def _snapshot(case: Case) -> tuple[Any, ...]:
    case.refresh_from_db()
    steps = list(CaseStep.objects.filter(case=case).order_by("position").values())
    return case.version, case.status, CaseEvent.objects.filter(case=case).count(), steps


@pytest.mark.django_db
def test_an_effect_that_breaks_the_table_is_refused_and_writes_nothing(
    cx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = intake(cx, item(cx))
    before = _snapshot(case)

    def wrong(work: Any, params: Any) -> None:
        effects.pass_step(work, params)
        work.case.status = Status.COMPLETED

    monkeypatch.setitem(effects.EFFECTS, T.PASS_STEP, wrong)
    with pytest.raises(effects.EffectMismatch):
        act(case, T.PASS_STEP, cx.user("scjg-reviewer"))
    assert _snapshot(case) == before


@pytest.mark.django_db
def test_a_version_changed_between_read_and_write_is_a_conflict_and_writes_nothing(
    cx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compare-and-set on `version` runs before anything is written and before the commit:
    the client gets 409 and nothing of the action (nor the intruder, in the same transaction
    here) is kept."""
    case = intake(cx, item(cx))
    before = _snapshot(case)
    lock_case = persistence.lock_case

    def read_then_someone_writes(*args: Any, **kwargs: Any) -> Any:
        found = lock_case(*args, **kwargs)
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
        return found

    monkeypatch.setattr(persistence, "lock_case", read_then_someone_writes)
    with pytest.raises(Conflict) as caught:
        act(case, T.PASS_STEP, cx.user("scjg-reviewer"))
    assert caught.value.status == 409
    assert _snapshot(case) == before


@pytest.mark.django_db
def test_an_action_writes_only_the_columns_it_changed(cx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Levels the sweep set after the action read its rows survive the action's UPDATEs."""
    case = intake(cx, item(cx))
    first = CaseStep.objects.get(case=case, position=2)  # 审查: the acceptance finished 受理
    lock_case = persistence.lock_case

    def read_then_the_sweep_flips(*args: Any, **kwargs: Any) -> Any:
        found = lock_case(*args, **kwargs)
        CaseStep.objects.filter(pk=first.pk).update(level=2)
        Case.objects.filter(pk=case.pk).update(level=1)
        return found

    monkeypatch.setattr(persistence, "lock_case", read_then_the_sweep_flips)
    act(case, T.PASS_STEP, cx.user("scjg-reviewer"), opinion="同意")
    first.refresh_from_db()
    case.refresh_from_db()
    assert (first.status, first.opinion, first.level) == (CaseStep.Status.DONE, "同意", 2)
    assert (case.status, case.active_step_position, case.level) == (Status.IN_PROGRESS, 3, 1)


@pytest.mark.django_db
def test_adding_an_action_takes_the_four_places_of_the_architecture_page(
    cx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example of docs/architecture.md, done at run time: a table row, an effect, its
    parameters and its labels are all a new action needs to run end to end."""
    await_fee = "await_fee"
    row = T.Transition(Status.ACCEPTED, await_fee, (Status.ACCEPTED,), T.ACCEPT_CASE)
    monkeypatch.setitem(T.TABLE, (Status.ACCEPTED, await_fee), row)
    monkeypatch.setattr(T, "ACTIONS", (*T.ACTIONS, await_fee))

    def effect(work: Any, p: Any) -> None:
        step = effects._active(work)
        step.opinion = p["note"]
        work.touch(step)
        work.event(await_fee, work.case.status, step=step, opinion=p["note"])

    monkeypatch.setitem(effects.EFFECTS, await_fee, effect)
    monkeypatch.setitem(params.ACTION_PARAMS, await_fee, (params.Param("note", help="Why."),))
    monkeypatch.setitem(params.ACTION_LABELS, await_fee, "Waiting for the fee")
    monkeypatch.setitem(params.ACTION_HELP, await_fee, "挂起待缴费: waiting for the fee.")

    case = intake(cx, item(cx))
    assert case.status == Status.ACCEPTED
    done = act(case, await_fee, cx.user("clerk"), note="缴费通知已发")
    assert done.status == Status.ACCEPTED
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert event is not None and (event.action, event.opinion) == (await_fee, "缴费通知已发")
    assert CaseStep.objects.get(pk=event.step_id).opinion == "缴费通知已发"
