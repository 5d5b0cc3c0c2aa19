"""Authentication of the public API's applicant endpoints: `Authorization: Bearer owa_…`
(from `POST /api/v1/public/auth/token`). `request.auth` is an `identity.sessions.Applicant`.

Endpoints that staff may also call (a booking taken by phone at the center) list both:
`auth=[applicant_bearer, bearer]`; `request.auth` is then an Applicant or an org.User."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from onewindow.identity.tokens import applicant_token_authenticate


class ApplicantBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        applicant = applicant_token_authenticate(token)
        if applicant is None:
            return None
        request._applicant = applicant  # type: ignore[attr-defined]
        return applicant


applicant_bearer = ApplicantBearer()
