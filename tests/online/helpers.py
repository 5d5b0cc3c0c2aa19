"""Test data for "my cases": online applications and cases built directly (the online
application flow itself is tested by its own app)."""

from __future__ import annotations

from typing import Any

from onewindow.cases import services
from onewindow.cases.models import Case
from onewindow.core import clock
from onewindow.identity.models import Enterprise, Person
from onewindow.online.models import OnlineApplication
from tests.applicants import resident_id, uscc
from tests.factories import OrgFixture, make_item

OTHER_ID = resident_id("44030519851201456")
COMPANY_CODE = uscc("91110108MA01ABCD1")


def online_item(org: OrgFixture, code: str = "SC001") -> Any:
    version = make_item(org, code=code, name="食品经营许可")
    version.online_allowed = True
    version.save(update_fields=["online_allowed"])
    return version


def _materials(version: Any) -> list[dict[str, Any]]:
    return [{"material": m.pk, "received": True} for m in version.materials.all()]


def person_applicant(person: Person) -> dict[str, Any]:
    return {
        "kind": "person",
        "name": person.name,
        "id_type": "resident_id",
        "id_number": person.id_number,
        "phone": person.phone,
    }


def enterprise_applicant(enterprise: Enterprise) -> dict[str, Any]:
    return {
        "kind": "enterprise",
        "name": enterprise.name,
        "id_type": "uscc",
        "id_number": enterprise.uscc,
        "phone": enterprise.legal_rep.phone,
        "legal_rep_name": enterprise.legal_rep.name,
        "legal_rep_id_number": enterprise.legal_rep.id_number,
    }


def submit_online(
    org: OrgFixture, version: Any, person: Person, enterprise: Enterprise | None = None
) -> tuple[OnlineApplication, Case]:
    """An online application submitted by `person` (for `enterprise` when given), with its case."""
    applicant = enterprise_applicant(enterprise) if enterprise else person_applicant(person)
    case = services.case_submit_online(
        center=org.center, item_code=version.item.code, applicant=applicant, materials=_materials(version)
    )
    now = clock.now()
    app = OnlineApplication.objects.create(
        center=org.center,
        item_code=version.item.code,
        person=person,
        enterprise=enterprise,
        status=OnlineApplication.Status.SUBMITTED,
        case=case,
        round=1,
        created_at=now,
        updated_at=now,
        submitted_at=now,
    )
    return app, case


def draft(
    org: OrgFixture, version: Any, person: Person, enterprise: Enterprise | None = None
) -> OnlineApplication:
    now = clock.now()
    return OnlineApplication.objects.create(
        center=org.center,
        item_code=version.item.code,
        person=person,
        enterprise=enterprise,
        created_at=now,
        updated_at=now,
    )


def act(case: Case, action: str, user: Any, **params: Any) -> Case:
    case.refresh_from_db()
    return services.case_act(case=case, action=action, version=case.version, actor=user, **params)


def accept_online(org: OrgFixture, app: OnlineApplication, case: Case) -> Case:
    act(case, "pre_review_pass", org.user("clerk"))
    act(case, "accept", org.user("clerk"))
    app.status = OnlineApplication.Status.ACCEPTED
    app.save(update_fields=["status"])
    case.refresh_from_db()
    return case


def window_case(org: OrgFixture, version: Any, applicant: dict[str, Any], action: str = "accept") -> Case:
    """A case received at a window (no online application)."""
    kwargs: dict[str, Any] = {}
    if action == "correct":
        kwargs["correction_items"] = [{"material": version.materials.first().pk, "note": "缺少签字"}]
    if action == "refuse":
        kwargs["note"] = "不属于本机关职权范围"
    return services.case_intake(
        actor=org.user("clerk"),
        item_code=version.item.code,
        center=org.center,
        applicant=applicant,
        channel="window",
        materials=_materials(version),
        action=action,
        **kwargs,
    )
