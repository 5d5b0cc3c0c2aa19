"""Applicant accounts on the API (issue 14 §1).

Public (`/api/v1/public/auth`, the mobile app): request a sign-in code by SMS, exchange it for a
bearer token (`owa_…`), read one's own masked profile and the enterprises one may act for, and
revoke the token. The answer to a code request is the same whether or not an account exists.

Staff (`/api/v1/applicants/verify`): a clerk who checked the ID card at the window verifies an
applicant (level 4); needs identity.verify_person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja import Status as Answer
from pydantic import Field

from onewindow.api.applicant_auth import applicant_bearer
from onewindow.api.case_schemas import ErrorOut
from onewindow.api.common import caller
from onewindow.api.security import bearer
from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.core.masking import mask_id_number, mask_name
from onewindow.identity import selectors, signin
from onewindow.identity.models import Enterprise
from onewindow.identity.services import person_verify
from onewindow.identity.sessions import Applicant, may_act_for
from onewindow.identity.tokens import applicant_token_issue, applicant_token_revoke

public_router = Router()
router = Router(auth=bearer)

PHONE_MAX = 20


class CodeRequest(Schema):
    phone: str = Field(max_length=PHONE_MAX, description="Mainland mobile number", examples=["13900000001"])


class CodeSent(Schema):
    detail: str
    expires_in_seconds: int


class ApplicantTokenRequest(Schema):
    phone: str = Field(max_length=PHONE_MAX, examples=["13900000001"])
    code: str = Field(max_length=12, description="The 6-digit code from the SMS", examples=["123456"])


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str = Field(description="Masked")
    as_legal_rep: bool


class ApplicantMeOut(Schema):
    phone: str = Field(description="Masked")
    name: str = Field(description="Masked")
    id_type: str
    id_number: str = Field(description="Masked")
    real_name_level: int
    acting_for: EnterpriseOut | None
    enterprises: list[EnterpriseOut]


class VerifyIn(Schema):
    phone: str = Field(max_length=PHONE_MAX)
    name: str = Field(max_length=100)
    id_type: str = Field(default="resident_id", max_length=20)
    id_number: str = Field(max_length=40)


class VerifyOut(Schema):
    id: int
    phone: str = Field(description="Masked")
    name: str = Field(description="Masked")
    id_number: str = Field(description="Masked")
    real_name_level: int
    verified_at: dt.datetime
    verified_how: str


def _applicant(request: HttpRequest) -> Applicant:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _enterprise_out(enterprise: Any, as_legal_rep: bool) -> dict[str, Any]:
    return {
        "id": enterprise.pk,
        "name": enterprise.name,
        "uscc": mask_id_number(enterprise.uscc),
        "as_legal_rep": as_legal_rep,
    }


@public_router.post("/code", response={202: CodeSent, 422: ErrorOut, 429: ErrorOut}, auth=None)
def code_send(request: HttpRequest, payload: CodeRequest) -> Answer[dict[str, Any]]:
    """Send a sign-in code by SMS. The same answer whether or not the number has an account (one
    is opened at the first sign-in). At most one code per number a minute and 5 an hour; 20 an
    hour per client address (429 rate_limited)."""
    signin.signin_code_send(phone=payload.phone, request=request)
    return Answer(
        202,
        {
            "detail": _("If the number can receive SMS, a code is on its way."),
            "expires_in_seconds": settings.APPLICANT_CODE_MINUTES * 60,
        },
    )


@public_router.post(
    "/token",
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 423: ErrorOut, 429: ErrorOut},
    auth=None,
)
def token_issue(request: HttpRequest, payload: ApplicantTokenRequest) -> dict[str, Any]:
    """Exchange the SMS code for a bearer token (`Authorization: Bearer owa_…`). A wrong code
    counts under the sign-in lockout shared with staff accounts: 401 invalid_code, 423
    account_locked, 429 rate_limited."""
    person = signin.signin_code_verify(phone=payload.phone, code=payload.code, request=request)
    token, raw = applicant_token_issue(person=person)
    return {"token": raw, "expires_at": token.expires_at}


@public_router.get("/me", response={200: ApplicantMeOut, 401: ErrorOut}, auth=applicant_bearer)
def me(request: HttpRequest) -> dict[str, Any]:
    """The signed-in applicant (masked) and the enterprises they may act for."""
    applicant = _applicant(request)
    person = applicant.person
    acting = applicant.enterprise
    return {
        "phone": person.masked_phone,
        "name": mask_name(person.name),
        "id_type": person.id_type,
        "id_number": person.masked_id_number,
        "real_name_level": person.real_name_level,
        "acting_for": _enterprise_out(acting, acting.legal_rep_id == person.pk) if acting else None,
        "enterprises": [
            _enterprise_out(a.enterprise, a.as_legal_rep) for a in selectors.enterprises_for(person)
        ],
    }


class ActForIn(Schema):
    enterprise: int | None = Field(
        default=None, ge=1, le=2**63 - 1, description="An enterprise from /me, or null: oneself"
    )


@public_router.post(
    "/act-for",
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=applicant_bearer,
)
def act_for(request: HttpRequest, payload: ActForIn) -> dict[str, Any]:
    """Act for an enterprise one holds or is an active agent of (null: for oneself): answers a
    new token for that, and revokes the one this request was sent with."""
    person = _applicant(request).person
    enterprise = None
    if payload.enterprise is not None:
        enterprise = Enterprise.objects.filter(pk=payload.enterprise).first()
        if enterprise is None:
            raise NotFound(_("No such enterprise."))
        if not may_act_for(person, enterprise):
            raise PermissionDenied(
                _("You are not authorised to act for this enterprise."), code="not_authorised_agent"
            )
    token, raw = applicant_token_issue(person=person, enterprise=enterprise)
    applicant_token_revoke(raw=_raw_token(request))
    return {"token": raw, "expires_at": token.expires_at}


def _raw_token(request: HttpRequest) -> str:
    return request.headers.get("Authorization", "").partition(" ")[2].strip()


@public_router.delete("/token", response={204: None, 401: ErrorOut}, auth=applicant_bearer)
def token_revoke(request: HttpRequest) -> Answer[None]:
    """Revoke the token this request was sent with (signing out of the app)."""
    applicant_token_revoke(raw=_raw_token(request))
    return Answer(204, None)


@router.post(
    "/applicants/verify",
    response={200: VerifyOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def applicant_verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    """A clerk has checked the applicant's ID card at the window: the name and ID number become
    the account's, real-name level 4 (verified_how "window"). Needs identity.verify_person."""
    user = caller(request)
    if not user.has_perm("identity.verify_person"):
        raise PermissionDenied(_("You are not allowed to verify applicants."))
    person = selectors.person_by_phone(payload.phone)
    if person is None:
        raise NotFound(_("No applicant account with this phone number."))
    verified = person_verify(
        person_id=person.pk,
        name=payload.name,
        id_type=payload.id_type,
        id_number=payload.id_number,
        actor=user,
    )
    return {
        "id": verified.pk,
        "phone": verified.masked_phone,
        "name": mask_name(verified.name),
        "id_number": verified.masked_id_number,
        "real_name_level": verified.real_name_level,
        "verified_at": verified.verified_at,
        "verified_how": verified.verified_how,
    }
