"""Profiles, enterprises, agents, acting for an enterprise and verification at the window
(issue 14 §1, 3, 4)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory

from onewindow.core import clock
from onewindow.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry
from onewindow.identity import services
from onewindow.identity.models import AgentAuthorization, Person, RealNameLevel
from onewindow.identity.selectors import enterprises_for
from onewindow.identity.sessions import (
    SESSION_SEEN_AT,
    SESSION_SIGNED_IN_AT,
    current_applicant,
    may_act_for,
    session_act_for,
)
from tests.applicants import make_enterprise, make_person, resident_id, uscc

pytestmark = pytest.mark.django_db


def test_profile_is_validated_and_audited_with_masked_numbers():
    person = make_person(phone="13900000051", name="", id_number="")
    with pytest.raises(ValidationFailed) as caught:
        services.person_profile_update(
            person=person, name="", id_type="resident_id", id_number="110101199003071230"
        )
    assert {"name", "id_number"} <= set(caught.value.details)
    number = resident_id("11010119800101123")
    services.person_profile_update(
        person=person, name=" 李四 ", id_type="resident_id", id_number=number.lower()
    )
    person.refresh_from_db()
    assert (person.name, person.id_number) == ("李四", number)
    entry = AuditEntry.objects.get(action="applicant.profile_update")
    assert (
        number not in str(entry.after) and entry.actor_id is None and entry.actor_name.startswith("applicant")
    )


def test_a_verified_profile_is_not_changed_online():
    person = make_person(real_name_level=RealNameLevel.CONSISTENT)
    with pytest.raises(PermissionDenied):
        services.person_profile_update(
            person=person, name="王五", id_type="resident_id", id_number=person.id_number
        )
    # saving the same details again is harmless
    services.person_profile_update(
        person=person, name=person.name, id_type="resident_id", id_number=person.id_number
    )


def test_enterprise_register_and_taken_without_saying_by_whom():
    rep = make_person(phone="13900000052")
    code = uscc("91110108MA01XYWA1")
    with pytest.raises(ValidationFailed) as caught:
        services.enterprise_register(person=rep, name="", uscc=code[:17] + ("0" if code[17] != "0" else "1"))
    assert {"name", "uscc"} <= set(caught.value.details)
    enterprise = services.enterprise_register(person=rep, name="示例科技有限公司", uscc=code.lower())
    assert enterprise.legal_rep == rep and enterprise.uscc == code
    other = make_person(phone="13900000053")
    with pytest.raises(Conflict) as taken:
        services.enterprise_register(person=other, name="别的公司", uscc=code)
    assert taken.value.code == "enterprise_taken" and "13900000052" not in taken.value.message
    assert rep.name not in taken.value.message


def test_agent_authorisation_rules_and_unknown_phone_gets_an_account():
    rep = make_person(phone="13900000054")
    enterprise = make_enterprise(rep)
    today = clock.today()
    bad = [
        (today - dt.timedelta(days=1), today, "valid_from"),
        (today, today - dt.timedelta(days=1), "valid_until"),
        (today, today + dt.timedelta(days=366), "valid_until"),
    ]
    for start, end, field in bad:
        with pytest.raises(ValidationFailed) as caught:
            services.agent_authorize(
                person=rep,
                enterprise_id=enterprise.pk,
                phone="13900000055",
                valid_from=start,
                valid_until=end,
            )
        assert field in caught.value.details
    assert not Person.objects.filter(phone="13900000055").exists()  # nothing half-written
    authorization = services.agent_authorize(
        person=rep,
        enterprise_id=enterprise.pk,
        phone="13900000055",
        valid_from=today,
        valid_until=today + dt.timedelta(days=365),
    )
    agent = authorization.agent
    with pytest.raises(Conflict) as twice:
        services.agent_authorize(
            person=rep,
            enterprise_id=enterprise.pk,
            phone="13900000055",
            valid_from=today + dt.timedelta(days=10),
            valid_until=today + dt.timedelta(days=20),
        )
    assert twice.value.code == "agent_already_authorised"
    assert agent.phone == "13900000055" and agent.real_name_level == RealNameLevel.SELF_DECLARED
    assert may_act_for(agent, enterprise)
    assert [a.enterprise for a in enterprises_for(agent)] == [enterprise]
    # only the legal representative authorises and revokes
    with pytest.raises(PermissionDenied):
        services.agent_authorize(
            person=agent,
            enterprise_id=enterprise.pk,
            phone="13900000056",
            valid_from=today,
            valid_until=today,
        )
    with pytest.raises(PermissionDenied):
        services.agent_revoke(person=agent, authorization_id=authorization.pk)
    with pytest.raises(NotFound):
        services.agent_revoke(person=rep, authorization_id=authorization.pk + 1000)
    services.agent_revoke(person=rep, authorization_id=authorization.pk)
    with pytest.raises(Conflict):
        services.agent_revoke(person=rep, authorization_id=authorization.pk)
    assert not may_act_for(agent, enterprise) and enterprises_for(agent) == []


def _session_request(person):
    request = RequestFactory().get("/")
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    from onewindow.identity.sessions import session_sign_in

    session_sign_in(request, person)
    return request


def test_expired_or_revoked_agents_cannot_act():
    rep = make_person(phone="13900000057")
    agent = make_person(phone="13900000058", id_number=resident_id("11010119851111123"))
    enterprise = make_enterprise(rep)
    today = clock.today()
    authorization = AgentAuthorization.objects.create(
        enterprise=enterprise, agent=agent, valid_from=today, valid_until=today, granted_at=clock.now()
    )
    request = _session_request(agent)
    assert session_act_for(request, enterprise).enterprise == enterprise
    assert current_applicant(request).is_agent
    # tomorrow the authorisation has expired: the session falls back to the person
    with time_machine.travel(clock.now() + dt.timedelta(days=1)):
        request._applicant = None
        # the session itself is kept alive (it would end after 30 idle minutes)
        request.session[SESSION_SIGNED_IN_AT] = request.session[SESSION_SEEN_AT] = clock.now().timestamp()
        assert current_applicant(request).enterprise is None
        with pytest.raises(PermissionDenied):
            session_act_for(request, enterprise)
    authorization.valid_until = today + dt.timedelta(days=30)
    authorization.save()
    services.agent_revoke(person=rep, authorization_id=authorization.pk)
    request._applicant = None
    assert current_applicant(request).enterprise is None


def test_verification_at_the_window(org):
    person = make_person(phone="13900000059", name="张明", id_number="")
    clerk = org.user("clerk")
    with pytest.raises(ValidationFailed):
        services.person_verify(
            person_id=person.pk, name="张明", id_type="resident_id", id_number="123", actor=clerk
        )
    number = resident_id("11010119700101123")
    verified = services.person_verify(
        person_id=person.pk, name="张明", id_type="resident_id", id_number=number, actor=clerk
    )
    assert verified.real_name_level == RealNameLevel.CONSISTENT
    assert (verified.verified_by, verified.verified_how) == (clerk, "window") and verified.verified_at
    entry = AuditEntry.objects.get(action="applicant.verify")
    assert entry.actor_id == clerk.pk and number not in str(entry.after)
    with pytest.raises(PermissionDenied):
        services.person_verify(
            person_id=person.pk,
            name="张明",
            id_type="resident_id",
            id_number=number,
            actor=org.user("auditor"),
        )


def test_one_verified_account_per_id_number(org):
    number = resident_id("11010119700101123")
    make_person(phone="13900000064", id_number=number, real_name_level=RealNameLevel.CONSISTENT)
    other = make_person(phone="13900000065", id_number="")
    with pytest.raises(Conflict) as caught:
        services.person_verify(
            person_id=other.pk, name="张三", id_type="resident_id", id_number=number, actor=org.user("clerk")
        )
    assert caught.value.code == "id_number_taken"
    other.refresh_from_db()
    assert other.real_name_level == RealNameLevel.SELF_DECLARED
