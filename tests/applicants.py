"""Test helpers for the online hall's applicant accounts (onewindow.identity)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from onewindow.cases.applicants import resident_id_check, uscc_check
from onewindow.core import clock
from onewindow.identity.models import AgentAuthorization, Enterprise, Person
from onewindow.identity.sessions import SESSION_ENTERPRISE, SESSION_PERSON


def resident_id(body17: str = "11010119900307123") -> str:
    """A valid 18-character resident ID number with the given first 17 digits."""
    return body17 + resident_id_check(body17)


def uscc(body17: str = "91110108MA01ABCD1") -> str:
    """A valid unified social credit code with the given first 17 characters."""
    return body17 + uscc_check(body17)


def make_person(
    phone: str = "13800138000", name: str = "张三", id_number: str | None = None, **extra: Any
) -> Person:
    return Person.objects.create(
        phone=phone,
        name=name,
        id_number=id_number if id_number is not None else resident_id(),
        created_at=clock.now(),
        **extra,
    )


def make_enterprise(
    legal_rep: Person,
    name: str = "某某科技有限公司",
    code: str | None = None,
    agents: tuple[Person, ...] = (),
) -> Enterprise:
    enterprise = Enterprise.objects.create(
        name=name, uscc=code or uscc(), legal_rep=legal_rep, created_at=clock.now()
    )
    today = clock.today()
    for agent in agents:
        AgentAuthorization.objects.create(
            enterprise=enterprise,
            agent=agent,
            valid_from=today,
            valid_until=today.replace(year=today.year + 1),
            granted_at=clock.now(),
        )
    return enterprise


def sign_in(client: Client, person: Person, enterprise: Enterprise | None = None) -> Client:
    """Sign `client` in as `person` on the portal (acting for `enterprise` when given)."""
    session = client.session
    session[SESSION_PERSON] = person.pk
    if enterprise is not None:
        session[SESSION_ENTERPRISE] = enterprise.pk
    session.save()
    return client
