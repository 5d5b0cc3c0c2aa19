"""The online hall's demo applicants (identity), reused by the other online-hall demos:

* 13900000001 张明, a citizen verified at a window (L4);
* 13900000002 李华, legal representative of 示例科技有限公司 (L4);
* 13900000003 王芳, the enterprise's agent (经办人), authorised for a year from the day loaded.

Idempotent: persons are found by phone and the enterprise by its code; an agent authorisation
is added only while none is active. They sign in with an SMS code (the console channel prints
it in development) and have no password."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from onewindow.cases.applicants import resident_id_check, uscc_check
from onewindow.core import audit, clock
from onewindow.identity.models import AgentAuthorization, Enterprise, Person, RealNameLevel
from onewindow.org.models import Center

CITIZEN_PHONE = "13900000001"
LEGAL_REP_PHONE = "13900000002"
AGENT_PHONE = "13900000003"
ENTERPRISE_NAME = "示例科技有限公司"
ENTERPRISE_USCC_BODY = "91110108MA01DEM01"


def _id(body17: str) -> str:
    return body17 + resident_id_check(body17)


PERSONS = (
    (CITIZEN_PHONE, "张明", _id("11010119850312301"), RealNameLevel.CONSISTENT),
    (LEGAL_REP_PHONE, "李华", _id("11010819780621402"), RealNameLevel.CONSISTENT),
    (AGENT_PHONE, "王芳", _id("11010519920915302"), RealNameLevel.SELF_DECLARED),
)


def _person(phone: str, name: str, id_number: str, level: int) -> Person:
    now = clock.now()
    verified = level >= RealNameLevel.CONSISTENT
    person, created = Person.objects.get_or_create(
        phone=phone,
        defaults={
            "name": name,
            "id_number": id_number,
            "real_name_level": level,
            "verified_at": now if verified else None,
            "verified_how": "window" if verified else "",
            "created_at": now,
        },
    )
    if created:
        audit.record(action="applicant.create", obj=person, after={"how": "demo"})
    return person


@transaction.atomic
def load(center: Center) -> dict[str, Any]:
    """Create the demo applicants (the center is not needed: accounts are the whole hall's)."""
    del center
    citizen, legal_rep, agent = (_person(*row) for row in PERSONS)
    code = ENTERPRISE_USCC_BODY + uscc_check(ENTERPRISE_USCC_BODY)
    enterprise, created = Enterprise.objects.get_or_create(
        uscc=code,
        defaults={
            "name": ENTERPRISE_NAME,
            "legal_rep": legal_rep,
            "real_name_level": RealNameLevel.CONSISTENT,
            "created_at": clock.now(),
        },
    )
    if created:
        audit.record(action="enterprise.register", obj=enterprise, after={"how": "demo"})
    today = clock.today()
    active = (
        AgentAuthorization.objects.filter(enterprise=enterprise, agent=agent, revoked_at__isnull=True)
        .filter(valid_from__lte=today, valid_until__gte=today)
        .first()
    )
    if active is None:
        active = AgentAuthorization.objects.create(
            enterprise=enterprise,
            agent=agent,
            valid_from=today,
            valid_until=today + dt.timedelta(days=364),
            granted_at=clock.now(),
            note="演示经办人",
        )
        audit.record(action="agent.authorize", obj=active, after={"how": "demo"})
    return {
        "citizen": citizen,
        "legal_rep": legal_rep,
        "agent": agent,
        "enterprise": enterprise,
        "authorization": active,
    }
