"""Who the applicant is on a request: the portal's session or a public API bearer token.

The contract every online-hall app uses (online applications, appointments, consultations):

* `current_applicant(request)` → `Applicant | None` on portal pages (the Django session keeps
  the person's id and, when acting for an enterprise, the enterprise's id; a staff sign-in in
  the same browser is a separate matter and never makes anyone an applicant).
* On the public API, `onewindow.api.applicant_auth.ApplicantBearer` sets `request.auth` to the
  same `Applicant`.
* `session_sign_in` / `session_sign_out` / `session_act_for` are the only writes to the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from onewindow.core import clock
from onewindow.core.errors import PermissionDenied
from onewindow.identity.models import AgentAuthorization, Enterprise, Person
from onewindow.org.sessions import SEEN_RESOLUTION_SECONDS

SESSION_PERSON = "applicant_person"
SESSION_ENTERPRISE = "applicant_enterprise"
# An applicant's session ends like a staff one (等保: 登录连接超时自动退出): after
# SESSION_IDLE_MINUTES without a request and SESSION_ABSOLUTE_HOURS after sign-in. Own keys
# (POSIX seconds), apart from a staff sign-in's in the same browser; the last-seen time is
# written at most once a minute (org.sessions.SEEN_RESOLUTION_SECONDS).
SESSION_SIGNED_IN_AT = "applicant_signed_in_at"
SESSION_SEEN_AT = "applicant_seen_at"


@dataclass(frozen=True)
class Applicant:
    """A signed-in person, acting for themselves or for an enterprise (as its legal
    representative or an authorised agent)."""

    person: Person
    enterprise: Enterprise | None = None

    @property
    def is_enterprise(self) -> bool:
        return self.enterprise is not None

    @property
    def is_agent(self) -> bool:
        """Acting for an enterprise that the person does not hold (经办人)."""
        return self.enterprise is not None and self.enterprise.legal_rep_id != self.person.pk


def may_act_for(person: Person, enterprise: Enterprise) -> bool:
    """The legal representative always; an agent while an authorisation is active today."""
    if enterprise.legal_rep_id == person.pk:
        return True
    today = clock.today()
    return AgentAuthorization.objects.filter(
        enterprise=enterprise,
        agent=person,
        revoked_at__isnull=True,
        valid_from__lte=today,
        valid_until__gte=today,
    ).exists()


def applicant_for(person: Person, enterprise_id: int | None) -> Applicant | None:
    """The applicant for a person and the enterprise they act for, checked again now (an
    authorisation revoked or expired since sign-in ends the acting, not the session)."""
    if not person.is_active:
        return None
    if enterprise_id is None:
        return Applicant(person=person)
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None or not may_act_for(person, enterprise):
        return Applicant(person=person)
    return Applicant(person=person, enterprise=enterprise)


def expired(session: Any, now: float) -> bool:
    """Whether the applicant's session is past its idle or absolute limit at `now`. A session
    without the stamps (written before they existed, or by a test helper) counts from now."""
    started = session.get(SESSION_SIGNED_IN_AT, now)
    seen = session.get(SESSION_SEEN_AT, now)
    if not isinstance(started, int | float) or not isinstance(seen, int | float):
        return True
    return (
        now - seen > settings.SESSION_IDLE_MINUTES * 60
        or now - started > settings.SESSION_ABSOLUTE_HOURS * 3600
    )


def current_applicant(request: HttpRequest) -> Applicant | None:
    cached = getattr(request, "_applicant", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    session = getattr(request, "session", None)
    if session is None:
        return None
    person_id = session.get(SESSION_PERSON)
    if not person_id:
        return None
    now = clock.now().timestamp()
    if expired(session, now):
        for key in (SESSION_PERSON, SESSION_ENTERPRISE, SESSION_SIGNED_IN_AT, SESSION_SEEN_AT):
            session.pop(key, None)
        return None
    seen = session.get(SESSION_SEEN_AT)
    if not isinstance(seen, int | float) or now - seen >= SEEN_RESOLUTION_SECONDS:
        session[SESSION_SEEN_AT] = now
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return None
    applicant = applicant_for(person, session.get(SESSION_ENTERPRISE))
    request._applicant = applicant  # type: ignore[attr-defined]
    return applicant


def session_sign_in(request: HttpRequest, person: Person) -> Applicant:
    """Start the applicant's session (a new session key: no fixation)."""
    request.session.cycle_key()
    request.session[SESSION_PERSON] = person.pk
    request.session.pop(SESSION_ENTERPRISE, None)
    now = clock.now().timestamp()
    request.session[SESSION_SIGNED_IN_AT] = now
    request.session[SESSION_SEEN_AT] = now
    applicant = Applicant(person=person)
    request._applicant = applicant  # type: ignore[attr-defined]
    return applicant


def session_sign_out(request: HttpRequest) -> None:
    for key in (SESSION_PERSON, SESSION_ENTERPRISE, SESSION_SIGNED_IN_AT, SESSION_SEEN_AT):
        request.session.pop(key, None)
    request.session.cycle_key()
    request._applicant = None  # type: ignore[attr-defined]


def session_act_for(request: HttpRequest, enterprise: Enterprise | None) -> Applicant:
    """Act for `enterprise` (None: for oneself); PermissionDenied when not authorised."""
    applicant = current_applicant(request)
    if applicant is None:
        raise PermissionDenied(_("Sign in first."), code="not_signed_in")
    if enterprise is None:
        request.session.pop(SESSION_ENTERPRISE, None)
        acting = Applicant(person=applicant.person)
    else:
        if not may_act_for(applicant.person, enterprise):
            raise PermissionDenied(
                _("You are not authorised to act for this enterprise."), code="not_authorised_agent"
            )
        request.session[SESSION_ENTERPRISE] = enterprise.pk
        acting = Applicant(person=applicant.person, enterprise=enterprise)
    request._applicant = acting  # type: ignore[attr-defined]
    return acting
