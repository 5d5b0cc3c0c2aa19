"""Writes on applicant accounts (issue 14 §1): the profile, enterprises and their agents, the
window's verification (L4) and the unified identity platform's link (L5). Signing in is in
`identity.signin`; sessions and tokens in `identity.sessions` / `identity.tokens`.

Every write is atomic and audited. The acting applicant is a `Person`, never a staff account;
verification at a window is a staff action (permission identity.verify_person).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from onewindow.cases.applicants import applicant_errors, is_valid_uscc
from onewindow.core import audit, clock
from onewindow.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_id_number, mask_phone
from onewindow.identity.models import AgentAuthorization, Enterprise, Person, RealNameLevel
from onewindow.identity.signin import as_applicant, clean_phone
from onewindow.org.models import User

ID_TYPES = ("resident_id", "passport", "hk_macao_permit", "other")
AGENT_MAX_DAYS = 366  # at most one year, both ends inclusive (a leap year's 29 February)


def _person_errors(
    name: str, id_type: str, id_number: str, phone: str
) -> tuple[dict[str, str], dict[str, list[str]]]:
    cleaned, errors = applicant_errors(
        {"kind": "person", "name": name, "id_type": id_type, "id_number": id_number, "phone": phone}
    )
    details = {key.split(".", 1)[1]: value for key, value in errors.items() if "." in key}
    if id_type not in ID_TYPES:
        details["id_type"] = [_("Choose the type of ID.")]
    if len(cleaned["name"]) > 100:
        details["name"] = [_("The name is too long (100 characters at most).")]
    return cleaned, details


@transaction.atomic
def person_profile_update(*, person: Person, name: str, id_type: str, id_number: str) -> Person:
    """Name, ID type and number, validated like an application's applicant. Once verified (L4 and
    above) they are the register's and no longer change here."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    cleaned, details = _person_errors(name, id_type, id_number, locked.phone)
    if details:
        raise ValidationFailed(_("Check your details."), details=details)
    changed = (
        cleaned["name"] != locked.name
        or cleaned["id_type"] != locked.id_type
        or cleaned["id_number"] != locked.id_number
    )
    if changed and locked.real_name_level >= RealNameLevel.CONSISTENT:
        raise PermissionDenied(
            _("Your identity has been verified: the name and ID number can no longer be changed online."),
            code="identity_verified",
        )
    if not changed:
        return locked
    before = {"name": locked.name, "id_type": locked.id_type, "id_number": mask_id_number(locked.id_number)}
    locked.name, locked.id_type, locked.id_number = cleaned["name"], cleaned["id_type"], cleaned["id_number"]
    locked.save(update_fields=["name", "id_type", "id_number"])
    with as_applicant(locked):
        audit.record(
            action="applicant.profile_update",
            obj=locked,
            before=before,
            after={"name": locked.name, "id_type": locked.id_type, "id_number": locked.masked_id_number},
        )
    return locked


def _clean_uscc(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


@transaction.atomic
def enterprise_register(*, person: Person, name: str, uscc: str) -> Enterprise:
    """Register an enterprise held by `person` as its legal representative. A code registered
    already → 409 enterprise_taken (without saying by whom)."""
    name = (name or "").strip()
    code = _clean_uscc(uscc)
    details: dict[str, list[str]] = {}
    if not name:
        details["name"] = [_("Enter the enterprise's name.")]
    elif len(name) > 200:
        details["name"] = [_("The name is too long (200 characters at most).")]
    if not is_valid_uscc(code):
        details["uscc"] = [
            _("This is not a valid unified social credit code (18 characters; check the last one).")
        ]
    if details:
        raise ValidationFailed(_("Check the enterprise's details."), details=details)
    taken = Conflict(
        _("This unified social credit code is registered already. Ask the center if this is wrong."),
        code="enterprise_taken",
    )
    if Enterprise.objects.filter(uscc=code).exists():
        raise taken
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(
                name=name, uscc=code, legal_rep=person, created_at=clock.now()
            )
    except IntegrityError:  # registered at the same moment
        raise taken from None
    with as_applicant(person):
        audit.record(
            action="enterprise.register", obj=enterprise, after={"name": name, "uscc": mask_id_number(code)}
        )
    return enterprise


def _held(person: Person, enterprise_id: int) -> Enterprise:
    enterprise = Enterprise.objects.select_for_update().filter(pk=enterprise_id).first()
    if enterprise is None:
        raise NotFound(_("No such enterprise."))
    if enterprise.legal_rep_id != person.pk:
        raise PermissionDenied(
            _("Only the enterprise's legal representative can authorise agents."), code="not_legal_rep"
        )
    return enterprise


@transaction.atomic
def agent_authorize(
    *,
    person: Person,
    enterprise_id: int,
    phone: str,
    valid_from: dt.date,
    valid_until: dt.date,
    note: str = "",
) -> AgentAuthorization:
    """The legal representative authorises the person with `phone` (an account at L2 is opened
    for an unknown phone) to act for the enterprise from `valid_from` to `valid_until`
    (inclusive; today or later, at most one year)."""
    enterprise = _held(person, enterprise_id)
    details: dict[str, list[str]] = {}
    try:
        phone = clean_phone(phone)
    except ValidationFailed as exc:
        details.update(exc.details or {})
    today = clock.today()
    if valid_from < today:
        details["valid_from"] = [_("The authorisation cannot start in the past.")]
    if valid_until < valid_from:
        details["valid_until"] = [_("The end date cannot be before the start date.")]
    elif (valid_until - valid_from).days >= AGENT_MAX_DAYS:
        details["valid_until"] = [_("An authorisation lasts at most one year.")]
    if not details and phone == person.phone:
        details["phone"] = [_("The legal representative acts for the enterprise without an authorisation.")]
    note = (note or "").strip()
    if len(note) > 200:
        details["note"] = [_("The note is too long (200 characters at most).")]
    if details:
        raise ValidationFailed(_("Check the authorisation."), details=details)
    now = clock.now()
    overlapping = AgentAuthorization.objects.filter(
        enterprise=enterprise,
        agent__phone=phone,
        revoked_at__isnull=True,
        valid_from__lte=valid_until,
        valid_until__gte=valid_from,
    )
    if overlapping.exists():
        raise Conflict(
            _("This person is already authorised for part of this period. Revoke that authorisation first."),
            code="agent_already_authorised",
        )
    agent, created = Person.objects.get_or_create(
        phone=phone, defaults={"created_at": now, "real_name_level": RealNameLevel.SELF_DECLARED}
    )
    authorization = AgentAuthorization.objects.create(
        enterprise=enterprise,
        agent=agent,
        valid_from=valid_from,
        valid_until=valid_until,
        granted_at=now,
        note=note,
    )
    with as_applicant(person):
        if created:
            audit.record(action="applicant.create", obj=agent, after={"how": "agent_authorization"})
        audit.record(
            action="agent.authorize",
            obj=authorization,
            after={
                "enterprise": enterprise.pk,
                "agent_phone": mask_phone(phone),
                "valid_from": valid_from,
                "valid_until": valid_until,
            },
        )
    return authorization


@transaction.atomic
def agent_revoke(*, person: Person, authorization_id: int) -> AgentAuthorization:
    """End an authorisation now (the legal representative); revoking twice → 409."""
    authorization = AgentAuthorization.objects.filter(pk=authorization_id).first()
    if authorization is None:
        raise NotFound(_("No such authorisation."))
    _held(person, authorization.enterprise_id)
    now = clock.now()
    if not AgentAuthorization.objects.filter(pk=authorization.pk, revoked_at__isnull=True).update(
        revoked_at=now
    ):
        raise Conflict(_("This authorisation was revoked already."), code="already_revoked")
    authorization.revoked_at = now
    with as_applicant(person):
        audit.record(action="agent.revoke", obj=authorization, after={"revoked_at": now})
    return authorization


@transaction.atomic
def person_verify(*, person_id: int, name: str, id_type: str, id_number: str, actor: User) -> Person:
    """A clerk has checked the ID card at the window: the name and number entered or confirmed
    become the person's, at level 4 (verified_how "window")."""
    if not actor.has_perm("identity.verify_person"):
        raise PermissionDenied(_("You are not allowed to verify applicants."))
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None:
        raise NotFound(_("No such applicant."))
    cleaned, details = _person_errors(name, id_type, id_number, person.phone)
    if details:
        raise ValidationFailed(_("Check the details from the ID card."), details=details)
    twin = Person.objects.filter(
        id_type=cleaned["id_type"],
        id_number=cleaned["id_number"],
        real_name_level__gte=RealNameLevel.CONSISTENT,
    ).exclude(pk=person.pk)
    if twin.exists():
        raise Conflict(
            _("Another verified account has this ID number. Ask the applicant which phone number is theirs."),
            code="id_number_taken",
        )
    before: dict[str, Any] = {
        "name": person.name,
        "id_number": person.masked_id_number,
        "level": person.real_name_level,
    }
    person.name, person.id_type, person.id_number = cleaned["name"], cleaned["id_type"], cleaned["id_number"]
    person.real_name_level = max(person.real_name_level, RealNameLevel.CONSISTENT)
    person.verified_at = clock.now()
    person.verified_by = actor
    person.verified_how = "window"
    person.save(
        update_fields=[
            "name",
            "id_type",
            "id_number",
            "real_name_level",
            "verified_at",
            "verified_by",
            "verified_how",
        ]
    )
    audit.record(
        action="applicant.verify",
        obj=person,
        before=before,
        after={"name": person.name, "id_number": person.masked_id_number, "level": person.real_name_level},
        actor=actor,
    )
    return person


@transaction.atomic
def person_from_oidc(*, claims: dict[str, Any]) -> Person:
    """The person signing in through the unified identity platform: found by `sub`, else linked
    by a verified `phone_number`, else created; level 5, verified_how "oidc". The platform's
    name and ID number (claims `name`, `id_number` when sent) replace the self-declared ones."""
    subject = str(claims.get("sub") or "")[:255]
    if not subject:
        raise ValidationFailed(_("The identity platform did not say who signed in."), code="oidc_no_subject")
    now = clock.now()
    person = Person.objects.select_for_update().filter(oidc_subject=subject).first()
    phone = ""
    if claims.get("phone_number") and claims.get("phone_number_verified") is True:
        try:
            phone = clean_phone(str(claims["phone_number"]))
        except ValidationFailed:
            phone = ""
    created = False
    if person is None and phone:
        person = Person.objects.select_for_update().filter(phone=phone).first()
        if person is not None and person.oidc_subject and person.oidc_subject != subject:
            raise Conflict(
                _("This phone number is linked to another identity platform account."), code="oidc_conflict"
            )
    if person is None:
        if not phone:
            raise ValidationFailed(
                _("The identity platform did not send a verified mobile number."), code="oidc_no_phone"
            )
        person = Person(phone=phone, created_at=now)
        created = True
    person.oidc_subject = subject
    name = str(claims.get("name") or "").strip()[:100]
    if name:
        person.name = name
    id_number = _clean_uscc(str(claims.get("id_number") or ""))
    if id_number:
        _cleaned, details = _person_errors(person.name or "-", "resident_id", id_number, person.phone)
        if "id_number" not in details:
            person.id_type, person.id_number = "resident_id", id_number
    person.real_name_level = RealNameLevel.CERTIFIED
    person.verified_at = now
    person.verified_how = "oidc"
    person.last_sign_in_at = now
    person.save()
    with as_applicant(person):
        audit.record(
            action="applicant.create" if created else "applicant.signin",
            obj=person,
            after={"how": "oidc", "level": person.real_name_level},
        )
    return person
