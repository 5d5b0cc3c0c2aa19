"""Reads on applicant accounts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from onewindow.cases.applicants import normalise_phone
from onewindow.core import clock
from onewindow.identity.models import AgentAuthorization, Enterprise, Person


@dataclass(frozen=True)
class Actable:
    """An enterprise a person may act for, and as what."""

    enterprise: Enterprise
    as_legal_rep: bool
    valid_until: object = None  # the agent's authorisation's last day


def enterprises_for(person: Person) -> list[Actable]:
    """The enterprises `person` holds, then those they are an active agent of today."""
    today = clock.today()
    held = [Actable(e, True) for e in Enterprise.objects.filter(legal_rep=person).order_by("name", "pk")]
    seen = {a.enterprise.pk for a in held}
    agent: list[Actable] = []
    authorizations = (
        AgentAuthorization.objects.select_related("enterprise")
        .filter(agent=person, revoked_at__isnull=True, valid_from__lte=today, valid_until__gte=today)
        .order_by("enterprise__name", "-valid_until")
    )
    for authorization in authorizations:
        if authorization.enterprise_id not in seen:
            seen.add(authorization.enterprise_id)
            agent.append(Actable(authorization.enterprise, False, authorization.valid_until))
    return held + agent


def enterprises_held(person: Person) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(legal_rep=person).order_by("name", "pk")


def agents_of(enterprise: Enterprise) -> QuerySet[AgentAuthorization]:
    """Every authorisation of the enterprise, newest first (active, expired and revoked)."""
    return (
        AgentAuthorization.objects.select_related("agent")
        .filter(enterprise=enterprise)
        .order_by("-granted_at", "-pk")
    )


def person_by_phone(phone: str) -> Person | None:
    """The account of a phone number (a clerk's lookup at the window)."""
    value = normalise_phone(phone)
    return Person.objects.filter(phone=value).first() if value else None
