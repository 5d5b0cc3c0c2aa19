"""Registering complaints: at the desk (staff), online (anyone, rate-limited by the interface)
and escalated from a 差评. Each one transaction: the number, the query code (its digest kept),
the limit, the `register` event, the complainant's SMS (number and query code) — and, when the
registrar names the handling department at once, the assignment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.cases.models import Case
from onewindow.complaints import deadlines, events, numbers
from onewindow.complaints.codes import HANDLE, JUDGE, REGISTER, STAFF_SOURCES, Kind, Source, Status
from onewindow.complaints.models import Complaint
from onewindow.complaints.permissions import may_register
from onewindow.complaints.routing import assign_locked
from onewindow.core import clock, ratelimit
from onewindow.core.errors import Conflict, PermissionDenied, RateLimited, ValidationFailed
from onewindow.feedback.models import Evaluation
from onewindow.org.models import Center, Department, User, Window

TITLE_MAX = 200
CONTENT_MAX = 1000
NAME_MAX = 50
ID_MAX = 40
PHONE_RE = re.compile(r"^\+?\d{7,20}$")
SUBMIT_RATE_KEY = "complaint-submit:{ip}"
SUBMIT_WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class Registered:
    """A new complaint and its query code (shown once: only its digest is kept)."""

    complaint: Complaint
    query_code: str


def submissions_per_hour() -> int:
    return int(getattr(settings, "COMPLAINT_SUBMISSIONS_PER_HOUR", 10))


def check_public_rate(ip: str) -> None:
    """Online complaints from one address: at most COMPLAINT_SUBMISSIONS_PER_HOUR an hour."""
    if not ratelimit.check_rate(
        key=SUBMIT_RATE_KEY.format(ip=ip), limit=submissions_per_hour(), window_seconds=SUBMIT_WINDOW_SECONDS
    ):
        raise RateLimited(
            _("Too many complaints from your address. Try again in an hour, or call the center."),
            details={"retry_after_seconds": SUBMIT_WINDOW_SECONDS},
        )


def _text(value: Any, field: str, limit: int, details: dict[str, list[str]], *, required: bool) -> str:
    text = (value if isinstance(value, str) else "").strip()
    if not text and required:
        details[field] = [_("Required.")]
    elif len(text) > limit:
        details[field] = [_("Enter at most %(max_length)s characters.") % {"max_length": limit}]
    return text


@dataclass
class _Respondent:
    department: Department | None = None
    window: Window | None = None
    staff: User | None = None


def _respondent(
    center: Center, department: str, window: str, staff: str, details: dict[str, list[str]]
) -> _Respondent:
    found = _Respondent()
    if department:
        found.department = Department.objects.filter(center=center, code=department, active=True).first()
        if found.department is None:
            details["respondent_department"] = [_("No such department.")]
    if window:
        found.window = Window.objects.filter(center=center, code=window, active=True).first()
        if found.window is None:
            details["respondent_window"] = [_("No window with this code.")]
    if staff:
        found.staff = User.objects.filter(center=center, username=staff, is_active=True).first()
        if found.staff is None:
            details["respondent_staff"] = [_("No staff account with this user name.")]
    if found.department is None and found.window is not None and found.window.department_id:
        found.department = found.window.department
    if found.department is None and found.staff is not None and found.staff.department_id:
        found.department = found.staff.department
    return found


def _phone(value: Any, details: dict[str, list[str]]) -> str:
    phone = re.sub(r"[\s\-()]", "", value if isinstance(value, str) else "")
    if phone and not PHONE_RE.match(phone):
        details["phone"] = [_("Enter digits only (7 to 20), e.g. 13812345678.")]
    return phone


def _create(
    *,
    center: Center,
    title: str,
    content: str,
    kind: str,
    source: str,
    simple: bool,
    name: str,
    phone: str,
    id_number: str,
    respondent: _Respondent,
    case: Case | None,
    actor: User | None,
    evaluation: Evaluation | None = None,
    client_ip: str | None = None,
) -> Registered:
    now = clock.now()
    number = numbers.next_number()
    code = numbers.new_query_code()
    due_at, warn_at = deadlines.limits(now, simple=simple)
    complaint = Complaint.objects.create(
        number=number,
        query_code_digest=numbers.code_digest(number, code),
        center=center,
        title=title,
        content=content,
        kind=kind,
        source=source,
        simple=simple,
        evaluation=evaluation,
        complainant_name=name,
        complainant_phone=phone,
        complainant_id_number=id_number,
        respondent_department=respondent.department,
        respondent_window=respondent.window,
        respondent_staff=respondent.staff,
        case=case,
        received_at=now,
        registered_by=actor,
        status=Status.REGISTERED,
        due_at=due_at,
        warn_at=warn_at,
    )
    events.record(complaint, "register", actor, note=str(Source(source).label), client_ip=client_ip)
    events.tell_complainant(
        complaint,
        "complaint_registered",
        query_code=code,
        due_date=timezone.localtime(due_at).strftime("%Y-%m-%d"),
    )
    return Registered(complaint, code)


@transaction.atomic
def complaint_register(
    *,
    actor: Any,
    title: str,
    content: str,
    kind: str = Kind.REFERRAL,
    source: str = Source.DESK,
    simple: bool | None = None,
    name: str = "",
    phone: str = "",
    id_number: str = "",
    respondent_department: str = "",
    respondent_window: str = "",
    respondent_staff: str = "",
    case_number: str = "",
    department: str = "",
    client_ip: str | None = None,
) -> Registered:
    """A complaint taken at the desk, by phone, from the 12345 hotline or a touch screen
    (complaints.register_complaint). ValidationFailed names each field to fix. With `department`
    (the handling department's code) it is assigned at once."""
    if not isinstance(actor, User) or not may_register(actor, actor.center_id or 0):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": REGISTER})
    center = actor.center
    assert center is not None  # may_register checked the account's center
    details: dict[str, list[str]] = {}
    title = _text(title, "title", TITLE_MAX, details, required=True)
    content = _text(content, "content", CONTENT_MAX, details, required=True)
    name = _text(name, "name", NAME_MAX, details, required=False)
    id_number = _text(id_number, "id_number", ID_MAX, details, required=False)
    phone = _phone(phone, details)
    if kind not in Kind.values:
        details["kind"] = [_("Choose one of the listed kinds.")]
    if source not in [str(s) for s in STAFF_SOURCES]:
        details["source"] = [_("Choose one of the listed sources.")]
    respondent = _respondent(
        center,
        (respondent_department or "").strip(),
        (respondent_window or "").strip(),
        (respondent_staff or "").strip(),
        details,
    )
    case = None
    if (case_number or "").strip():
        case = Case.objects.filter(center=center, number=case_number.strip()).first()
        if case is None:
            details["case"] = [_("No case with this number in your center.")]
    handling = None
    if (department or "").strip():
        handling = Department.objects.filter(center=center, code=department.strip(), active=True).first()
        if handling is None:
            details["department"] = [_("No such department.")]
    if details:
        raise ValidationFailed(_("Check the complaint: the marked fields need attention."), details=details)
    registered = _create(
        center=center,
        title=title,
        content=content,
        kind=kind,
        source=source,
        simple=kind == Kind.ON_THE_SPOT if simple is None else simple,
        name=name,
        phone=phone,
        id_number=id_number,
        respondent=respondent,
        case=case,
        actor=actor,
        client_ip=client_ip,
    )
    if handling is not None:
        assign_locked(registered.complaint, handling, None, actor, client_ip=client_ip)
    return registered


def _public_respondent(center: Center, code: str, details: dict[str, list[str]]) -> _Respondent:
    """A window code or a department code, whichever exists in the center."""
    found = _Respondent()
    if not code:
        return found
    found.window = Window.objects.filter(center=center, code=code, active=True).first()
    if found.window is not None:
        found.department = found.window.department
        return found
    found.department = Department.objects.filter(center=center, code=code, active=True).first()
    if found.department is None:
        details["respondent"] = [_("No window or department with this code: leave it empty if unsure.")]
    return found


@transaction.atomic
def complaint_submit_public(
    *,
    center: Center,
    title: str,
    content: str,
    respondent: str = "",
    name: str = "",
    phone: str = "",
    client_ip: str | None = None,
) -> Registered:
    """A complaint from the public site (anonymous allowed). The interface checks the address's
    rate first (`check_public_rate`)."""
    details: dict[str, list[str]] = {}
    title = _text(title, "title", TITLE_MAX, details, required=True)
    content = _text(content, "content", CONTENT_MAX, details, required=True)
    name = _text(name, "name", NAME_MAX, details, required=False)
    phone = _phone(phone, details)
    found = _public_respondent(center, (respondent or "").strip()[:20], details)
    if details:
        raise ValidationFailed(_("Check the complaint: the marked fields need attention."), details=details)
    return _create(
        center=center,
        title=title,
        content=content,
        kind=Kind.REFERRAL,
        source=Source.ONLINE,
        simple=False,
        name=name,
        phone=phone,
        id_number="",
        respondent=found,
        case=None,
        actor=None,
        client_ip=client_ip,
    )


@transaction.atomic
def complaint_from_evaluation(
    evaluation: Evaluation, actor: Any, *, client_ip: str | None = None
) -> Registered:
    """Escalate a 差评 to a complaint (source bad_rating): the occasion's window, department and
    staff are the respondents; the evaluator is the complainant when known (real name)."""
    if not isinstance(actor, User) or not any(actor.has_perm(p) for p in (REGISTER, HANDLE, JUDGE)):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": REGISTER})
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("occasion", "applicant")
        .get(pk=evaluation.pk)
    )
    occasion = evaluation.occasion
    if actor.center_id != occasion.center_id:
        raise PermissionDenied(_("This evaluation is not in your center."))
    if not evaluation.bad:
        raise ValidationFailed(_("Only a bad rating can be escalated to a complaint."), code="not_bad")
    if Complaint.objects.filter(evaluation=evaluation).exists():
        raise Conflict(_("This bad rating was already escalated to a complaint."), code="already_escalated")
    department = occasion.department
    if department is None and occasion.window is not None:
        department = occasion.window.department
    case = occasion.case
    # the evaluator, when known: the signed-in person, else the case's applicant
    name = phone = id_number = ""
    if evaluation.applicant is not None:
        person = evaluation.applicant
        name, phone, id_number = person.name, person.phone, person.id_number
    elif evaluation.real_name and case is not None:
        name, phone, id_number = case.applicant_name, case.applicant_phone, case.applicant_id_number
    label = evaluation.get_level_display()
    return _create(
        center=occasion.center,
        title=(_("Bad rating: %(level)s") % {"level": label})[:TITLE_MAX],
        content=(evaluation.text or ", ".join(evaluation.tags) or str(label))[:CONTENT_MAX],
        kind=Kind.REFERRAL,
        source=Source.BAD_RATING,
        simple=False,
        name=name[:NAME_MAX],
        phone=phone,
        id_number=id_number,
        respondent=_Respondent(department, occasion.window, occasion.staff),
        case=case,
        actor=actor,
        evaluation=evaluation,
        client_ip=client_ip,
    )


def public_center(code: str = "") -> Center | None:
    """The center an online complaint goes to: the one named by `code`, else the first
    city-level center (the public guide's default), else the first center."""
    if code:
        return Center.objects.filter(code=code.strip().upper()).first()
    return (
        Center.objects.filter(level=Center.Level.CITY).order_by("code").first()
        or Center.objects.order_by("code").first()
    )


def lookups_per_minute() -> int:
    """Public lookups per address and minute (the progress lookup's budget)."""
    return int(getattr(settings, "PROGRESS_LOOKUPS_PER_MINUTE", 30))


def not_found_message() -> str:
    return _(
        "No complaint matches this number and query code. Check both on your registration "
        "message and try again."
    )
