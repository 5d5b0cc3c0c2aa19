"""Who sees which case in "my cases" (onewindow.online.my_cases), and withdrawing one."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from onewindow.cases.models import Case, CaseEvent
from onewindow.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from onewindow.identity.models import AgentAuthorization, RealNameLevel
from onewindow.identity.sessions import Applicant, applicant_for
from onewindow.online import my_cases
from onewindow.online.models import OnlineApplication
from tests.applicants import make_enterprise, make_person
from tests.online.helpers import (
    OTHER_ID,
    accept_online,
    act,
    draft,
    enterprise_applicant,
    online_item,
    person_applicant,
    submit_online,
    window_case,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def version(org):
    return online_item(org)


def numbers(rows):
    return {r.number for r in rows}


def test_own_applications_fall_into_their_tabs(org, version):
    person = make_person()
    draft(org, version, person)
    _app_submitted, submitted = submit_online(org, version, person)
    app_accepted, accepted = submit_online(org, version, person)
    accept_online(org, app_accepted, accepted)
    _app_done, done = submit_online(org, version, person)
    act(done, "refuse", org.user("clerk"), reason="不属于本机关职权范围")
    rows = my_cases.my_cases(Applicant(person=person))
    by_tab = {tab: [r for r in rows if r.tab == tab] for tab in my_cases.TABS}
    assert [r.number for r in by_tab["drafts"]] == [""]
    assert numbers(by_tab["submitted"]) == {submitted.receipt_number}
    assert numbers(by_tab["in_progress"]) == {accepted.number}
    assert numbers(by_tab["done"]) == {done.receipt_number}
    assert my_cases.my_cases(Applicant(person=person), tab="drafts") == by_tab["drafts"]


def test_another_persons_applications_are_not_shown(org, version):
    me, other = make_person(), make_person(phone="13900139000", name="李四", id_number=OTHER_ID)
    submit_online(org, version, other)
    assert my_cases.my_cases(Applicant(person=me)) == []


def test_window_cases_by_id_number_only_for_a_verified_person(org, version):
    """A self-declared ID number shows nothing: anyone can type anyone's number."""
    person = make_person()
    case = window_case(org, version, person_applicant(person))
    assert my_cases.my_cases(Applicant(person=person)) == []
    with pytest.raises(NotFound):
        my_cases.my_case(Applicant(person=person), case.number)
    person.real_name_level = RealNameLevel.TWO_FACTORS
    person.save()
    assert my_cases.my_cases(Applicant(person=person)) == []
    person.real_name_level = RealNameLevel.CONSISTENT
    person.save()
    rows = my_cases.my_cases(Applicant(person=person))
    assert numbers(rows) == {case.number} and rows[0].tab == my_cases.IN_PROGRESS
    assert my_cases.my_case(Applicant(person=person), case.number).case == case


def test_a_verified_person_does_not_see_cases_of_another_id_number_nor_enterprise_cases(org, version):
    person = make_person(real_name_level=RealNameLevel.CERTIFIED)
    window_case(org, version, {**person_applicant(person), "id_number": OTHER_ID})
    company = make_enterprise(person)
    window_case(org, version, enterprise_applicant(company))
    assert my_cases.my_cases(Applicant(person=person)) == []


def test_an_online_case_found_both_ways_is_listed_once(org, version):
    person = make_person(real_name_level=RealNameLevel.CONSISTENT)
    app, case = submit_online(org, version, person)
    rows = my_cases.my_cases(Applicant(person=person))
    assert [(r.number, r.application_id) for r in rows] == [(case.receipt_number, app.pk)]


def test_acting_for_an_enterprise_shows_every_agents_applications_with_the_agent(org, version):
    holder = make_person()
    agent = make_person(phone="13900139000", name="王五", id_number=OTHER_ID)
    company = make_enterprise(holder, agents=(agent,))
    _app, by_agent = submit_online(org, version, agent, company)
    _app2, by_holder = submit_online(org, version, holder, company)
    _own, own = submit_online(org, version, agent)  # the agent's own application
    rows = my_cases.my_cases(applicant_for(holder, company.pk))
    assert numbers(rows) == {by_agent.receipt_number, by_holder.receipt_number}
    assert {r.number: r.acted_by for r in rows}[by_agent.receipt_number] == "王*"
    agent_rows = my_cases.my_cases(applicant_for(agent, company.pk))
    assert numbers(agent_rows) == numbers(rows)
    assert numbers(my_cases.my_cases(Applicant(person=agent))) == {own.receipt_number}


def test_an_agent_whose_authorisation_expired_sees_nothing_of_the_enterprise(org, version):
    holder = make_person()
    agent = make_person(phone="13900139000", name="王五", id_number=OTHER_ID)
    company = make_enterprise(holder, agents=(agent,))
    _app, case = submit_online(org, version, agent, company)
    AgentAuthorization.objects.filter(agent=agent).update(valid_until=NOW.date() - dt.timedelta(days=1))
    assert applicant_for(agent, company.pk) == Applicant(person=agent)  # acts for nobody now
    stale = Applicant(person=agent, enterprise=company)  # an Applicant built before it expired
    assert my_cases.my_cases(stale) == []
    with pytest.raises(NotFound):
        my_cases.my_case(stale, case.receipt_number)
    assert my_cases.my_cases(Applicant(person=agent)) == []  # it was the enterprise's


def test_enterprise_window_cases_by_uscc_only_when_verified(org, version):
    holder = make_person()
    agent = make_person(phone="13900139000", name="王五", id_number=OTHER_ID, real_name_level=5)
    company = make_enterprise(holder, agents=(agent,))
    case = window_case(org, version, enterprise_applicant(company))
    assert my_cases.my_cases(applicant_for(holder, company.pk)) == []
    assert my_cases.my_cases(applicant_for(agent, company.pk)) == []  # a verified agent is not enough
    holder.real_name_level = RealNameLevel.CONSISTENT  # the legal representative, verified
    holder.save()
    assert numbers(my_cases.my_cases(applicant_for(holder, company.pk))) == {case.number}
    assert my_cases.my_cases(applicant_for(agent, company.pk)) == []
    company.real_name_level = RealNameLevel.CONSISTENT  # the enterprise itself, verified
    company.save()
    assert numbers(my_cases.my_cases(applicant_for(agent, company.pk))) == {case.number}


def test_one_case_has_its_progress_notices_and_messages(org, version):
    person = make_person()
    app, case = submit_online(org, version, person)
    accept_online(org, app, case)
    found = my_cases.my_case(Applicant(person=person), case.number)
    assert found.progress is not None and found.progress.number == case.number
    assert [n.kind for n in found.notices] == ["acceptance"]
    assert found.messages and all("13800138000" not in m.body for m in found.messages)
    assert found.due_date is not None and found.may_withdraw
    assert my_cases.my_case(Applicant(person=person), case.receipt_number).case == case
    with pytest.raises(NotFound):
        my_cases.my_case(Applicant(person=person), "not a number")
    with pytest.raises(NotFound):
        my_cases.my_notice(Applicant(person=person), case.number, "X-1")


def test_withdraw_by_the_applicant(org, version):
    person = make_person()
    app, case = submit_online(org, version, person)
    accept_online(org, app, case)
    case.refresh_from_db()
    applicant = Applicant(person=person)
    with pytest.raises(ValidationFailed):
        my_cases.my_case_withdraw(applicant=applicant, number=case.number, version=case.version, reason=" ")
    with pytest.raises(Conflict):
        my_cases.my_case_withdraw(
            applicant=applicant, number=case.number, version=case.version - 1, reason="不办了"
        )
    withdrawn = my_cases.my_case_withdraw(
        applicant=applicant, number=case.number, version=case.version, reason="不办了"
    )
    assert withdrawn.status == Case.Status.WITHDRAWN
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.action == "withdraw" and event.actor is None and event.data["by"] == "applicant"
    assert "张三" in event.actor_name and event.public
    app.refresh_from_db()
    assert app.status == OnlineApplication.Status.WITHDRAWN
    found = my_cases.my_case(applicant, case.number)
    assert found.tab == my_cases.DONE and not found.may_withdraw
    with pytest.raises(InvalidTransition):
        my_cases.my_case_withdraw(
            applicant=applicant, number=case.number, version=withdrawn.version, reason="x"
        )


def test_nobody_else_withdraws_a_case(org, version):
    person = make_person()
    other = make_person(phone="13900139000", name="李四", id_number=OTHER_ID, real_name_level=5)
    _app, case = submit_online(org, version, person)
    with pytest.raises(NotFound):
        my_cases.my_case_withdraw(
            applicant=Applicant(person=other), number=case.receipt_number, version=1, reason="x"
        )
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED
