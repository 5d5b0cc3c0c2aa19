"""Evaluation API (好差评, issue 15).

Public (under /api/v1/public/evaluations; the token is the QR code's or the SMS link's):

GET  /{token}        what the evaluation page shows: the occasion's kind, item, department,
                     window and time, the indicators of the channel's template (?channel=),
                     whether it is already evaluated or closed. No personal data.
POST ""              {"token", "level", "tags", "text", "channel"?} → 201 the evaluation
                     (level: very_satisfied | satisfied | basically_satisfied | dissatisfied |
                     very_dissatisfied; channel: qr_code (default) | sms | mobile | pc).
                     An applicant's bearer token (owa_…) makes it a real-name evaluation.

Staff (Authorization: Bearer <token>; feedback.view_evaluations; the account's data scope):

GET  /evaluations           the occasions with their evaluation, newest first: ?state=evaluated
                            (default) | unevaluated | all, &from=&to= (the occasion's local date),
                            &level=&bad=true&channel=&department=&window=&kind=&page=&page_size=
GET  /evaluations/summary   counts and the rates (未评率, 满意率), the same filters but the
                            evaluation's own (level, bad, channel)
GET  /evaluations/export    ?format=gbt39046|national&from=&to= → a CSV file (masked)

Errors are JSON {"code", "message", "details"}: 403 staff_cannot_evaluate (a staff session or
staff token on the public endpoint) / permission_denied, 404 not_found (the same for any link
that is not valid), 409 already_evaluated / evaluation_closed, 422 validation_failed /
invalid_evaluation / bad_rating_needs_reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.conf import settings
from django.contrib.auth import get_user
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer

from onewindow.api.case_schemas import MAX_PAGE_SIZE, ErrorOut
from onewindow.api.common import local_time
from onewindow.api.limits import MAX_INT, TEXT_MAX
from onewindow.api.security import bearer
from onewindow.core import clock
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_free_text
from onewindow.core.middleware import client_ip
from onewindow.feedback import exports, selectors
from onewindow.feedback.codes import TEMPLATE_KIND_BY_CHANNEL, Channel, Level
from onewindow.feedback.models import Evaluation, ServiceOccasion
from onewindow.feedback.services import active_template, evaluation_submit
from onewindow.feedback.tokens import evaluation_url, occasion_id_from
from onewindow.identity.tokens import applicant_token_authenticate
from onewindow.org.models import Department, Window
from onewindow.org.tokens import api_token_authenticate

public_router = Router(auth=None)
router = Router(auth=bearer)

_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
NOT_FOUND = gettext_noop("This evaluation link is not valid.")
PUBLIC_CHANNELS = (Channel.QR_CODE, Channel.SMS, Channel.MOBILE, Channel.PC)
PublicChannel = Literal["qr_code", "sms", "mobile", "pc"]
# who may hand out an occasion's evaluation link (print the notice it goes on): the window staff
LINK_PERMISSIONS = ("cases.accept_case", "cases.deliver_case")


# --- schemas ---------------------------------------------------------------------------------


TagCode = Annotated[str, Field(max_length=30)]


class EvaluationSubmitIn(Schema):
    token: str = Field(max_length=200)
    level: str = Field(max_length=30, examples=["satisfied"])
    tags: list[TagCode] = Field(default_factory=list, max_length=20, description="indicator codes")
    text: str = Field("", max_length=TEXT_MAX)
    channel: PublicChannel = Field("qr_code", description="qr_code | sms | mobile | pc")


class EvaluationIndicatorOut(Schema):
    code: str
    label: str


class EvaluationPublicOut(Schema):
    occasion_kind: str
    level: str
    level_label: str
    tags: list[str]
    text: str = Field(description="masked")
    channel: str
    submitted_at: dt.datetime


class EvaluationPageOut(Schema):
    kind: str
    kind_label: str
    item_name: str
    department_name: str
    window_name: str
    at: dt.datetime
    closes_at: dt.datetime
    evaluated: bool
    closed: bool
    channel: str
    levels: list[EvaluationIndicatorOut]
    indicators: list[EvaluationIndicatorOut]


class EvaluationOut(Schema):
    level: str
    level_label: str
    bad: bool
    tags: list[str]
    text: str = Field(description="ID numbers and phones masked")
    channel: str
    submitted_at: dt.datetime
    real_name: bool
    voided: bool


class EvaluationOccasionOut(Schema):
    id: int
    kind: str
    at: dt.datetime
    closes_at: dt.datetime
    case_number: str | None
    ticket: str
    item_name: str
    department: str | None = Field(description="the department's code")
    window: str | None = Field(description="the window's code")
    evaluation: EvaluationOut | None


class EvaluationListOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[EvaluationOccasionOut]


class EvaluationRatesOut(Schema):
    occasions: int
    evaluated: int
    unevaluated: int
    evaluations: int = Field(description="evaluations not voided")
    satisfied: int
    bad: int = Field(description="差评 not voided")
    voided: int
    by_level: dict[str, int]
    unevaluated_rate: float | None = Field(description="occasions without evaluation ÷ occasions")
    satisfaction_rate: float | None = Field(
        description="(very) satisfied and basically satisfied ÷ evaluations"
    )


class EvaluationFilter(Schema):
    state: Literal["evaluated", "unevaluated", "all"] = "evaluated"
    date_from: dt.date | None = Field(None, alias="from")
    date_to: dt.date | None = Field(None, alias="to")
    level: str | None = Field(None, max_length=30)
    bad: bool = False
    channel: str | None = Field(None, max_length=20)
    department: str | None = Field(None, max_length=20, description="department code")
    window: str | None = Field(None, max_length=20, description="window code")
    kind: str | None = Field(
        None, max_length=20, description="submitted | accepted | completed | window_visit"
    )
    page: int = Field(1, ge=1, le=MAX_INT // MAX_PAGE_SIZE)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class EvaluationExportQuery(Schema):
    format: Literal["gbt39046", "national"]
    date_from: dt.date | None = Field(None, alias="from")
    date_to: dt.date | None = Field(None, alias="to")


# --- the public endpoints --------------------------------------------------------------------


def _session_user(request: HttpRequest) -> Any:
    """The staff account of the request's session, if any. The API's middleware chain reads no
    session (conf/wsgi.py): when a session cookie comes along, it is read here, only to refuse."""
    user = getattr(request, "user", None)
    if user is not None:
        return user
    if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return None
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    request.session = store(request.COOKIES[settings.SESSION_COOKIE_NAME])
    return get_user(request)


def _refuse_staff() -> PermissionDenied:
    return PermissionDenied(
        _("Staff accounts cannot evaluate a service: evaluations come from applicants only."),
        code="staff_cannot_evaluate",
    )


def _public_caller(request: HttpRequest) -> Any:
    """The signed-in applicant's person (an owa_ bearer token), or None; a staff session or
    staff token is refused (403 staff_cannot_evaluate)."""
    user = _session_user(request)
    if user is not None and user.is_authenticated:
        raise _refuse_staff()
    scheme, _sep, raw = (request.headers.get("Authorization") or "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        return None
    applicant = applicant_token_authenticate(raw)
    if applicant is not None:
        return applicant.person
    if api_token_authenticate(raw) is not None:
        raise _refuse_staff()
    return None


def _occasion_id(token: str) -> int:
    occasion_id = occasion_id_from(token)
    if occasion_id is None:
        raise NotFound(_(NOT_FOUND), code="not_found")
    return occasion_id


@public_router.post(
    "", response={201: EvaluationPublicOut, 409: ErrorOut, **_ERRORS}, summary="Evaluate a service"
)
def submit(request: HttpRequest, payload: EvaluationSubmitIn) -> Answer[dict[str, Any]]:
    """One evaluation per occasion: 409 already_evaluated or evaluation_closed; 422 for a 差评
    (dissatisfied, very_dissatisfied) without a tag or text; 403 for staff; 404 for any link
    that is not valid."""
    person = _public_caller(request)
    occasion_id = _occasion_id(payload.token)
    try:
        evaluation = evaluation_submit(
            occasion=occasion_id,
            level=payload.level,
            tags=payload.tags,
            text=payload.text,
            channel=payload.channel,
            applicant=person,
            client_ip=client_ip(request) or None,
        )
    except NotFound as exc:
        raise NotFound(_(NOT_FOUND), code="not_found") from exc
    return Answer(
        201,
        {
            "occasion_kind": evaluation.occasion.kind,
            "level": evaluation.level,
            "level_label": str(Level(evaluation.level).label),
            "tags": evaluation.tags,
            "text": mask_free_text(evaluation.text),
            "channel": evaluation.channel,
            "submitted_at": local_time(evaluation.submitted_at),
        },
    )


@public_router.get(
    "/{token}", response={200: EvaluationPageOut, 404: ErrorOut, 422: ErrorOut}, summary="An evaluation link"
)
def page(request: HttpRequest, token: str, channel: PublicChannel = "qr_code") -> dict[str, Any]:
    """What the public evaluation page shows (no personal data)."""
    found = selectors.public_occasion(_occasion_id(token[:200]), clock.now())
    if found is None:
        raise NotFound(_(NOT_FOUND), code="not_found")
    template = active_template(TEMPLATE_KIND_BY_CHANNEL[channel])
    return {
        "kind": found.kind,
        "kind_label": found.kind_label,
        "item_name": found.item_name,
        "department_name": found.department_name,
        "window_name": found.window_name,
        "at": local_time(found.at),
        "closes_at": local_time(found.closes_at),
        "evaluated": found.evaluated,
        "closed": found.closed,
        "channel": channel,
        "levels": [{"code": value, "label": str(label)} for value, label in Level.choices],
        "indicators": [{"code": str(i["code"]), "label": str(i["label"])} for i in template.indicators],
    }


# --- staff -----------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    selectors.require_view(user)
    return user


def _filters(user: Any, q: EvaluationFilter) -> selectors.EvaluationFilters:
    errors: dict[str, list[str]] = {}
    department_id = window_id = None
    if q.level and q.level not in Level.values:
        errors["level"] = [_("Choose one of: %(levels)s.") % {"levels": ", ".join(Level.values)}]
    if q.channel and q.channel not in Channel.values:
        errors["channel"] = [_("Choose one of: %(channels)s.") % {"channels": ", ".join(Channel.values)}]
    if q.kind and q.kind not in ServiceOccasion.Kind.values:
        errors["kind"] = [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(ServiceOccasion.Kind.values)}]
    if q.department:
        department = Department.objects.filter(
            center_id=user.center_id, code=q.department.strip().upper()
        ).first()
        if department is None:
            errors["department"] = [_("Unknown department %(code)s.") % {"code": q.department}]
        else:
            department_id = department.pk
    if q.window:
        window = Window.objects.filter(center_id=user.center_id, code=q.window.strip()).first()
        if window is None:
            errors["window"] = [_("Unknown window %(code)s.") % {"code": q.window}]
        else:
            window_id = window.pk
    if q.date_from and q.date_to and q.date_from > q.date_to:
        errors["from"] = [_("The first day is after the last day.")]
    if errors:
        raise ValidationFailed(_("Check the filters."), details=errors)
    return selectors.EvaluationFilters(
        date_from=q.date_from,
        date_to=q.date_to,
        level=q.level or "",
        bad=q.bad,
        channel=q.channel or "",
        department_id=department_id,
        window_id=window_id,
        kind=q.kind or "",
        state=q.state,
    )


def _evaluation_out(evaluation: Evaluation | None) -> dict[str, Any] | None:
    if evaluation is None:
        return None
    return {
        "level": evaluation.level,
        "level_label": str(Level(evaluation.level).label),
        "bad": evaluation.bad,
        "tags": evaluation.tags,
        "text": mask_free_text(evaluation.text),
        "channel": evaluation.channel,
        "submitted_at": local_time(evaluation.submitted_at),
        "real_name": evaluation.real_name,
        "voided": evaluation.voided_at is not None,
    }


def _occasion_out(occasion: ServiceOccasion) -> dict[str, Any]:
    case = occasion.case
    item_name = case.item_version.name if case is not None else ""
    return {
        "id": occasion.pk,
        "kind": occasion.kind,
        "at": local_time(occasion.at),
        "closes_at": local_time(occasion.closes_at),
        "case_number": case.display_number if case is not None else None,
        "ticket": occasion.ticket,
        "item_name": item_name,
        "department": occasion.department.code if occasion.department is not None else None,
        "window": occasion.window.code if occasion.window is not None else None,
        "evaluation": _evaluation_out(getattr(occasion, "evaluation", None)),
    }


@router.get("/evaluations", response={200: EvaluationListOut, **_ERRORS}, summary="Evaluations")
def evaluations(request: HttpRequest, filters: Query[EvaluationFilter]) -> dict[str, Any]:
    """The occasions of the caller's data scope with their evaluation (masked), newest first."""
    user = _staff(request)
    qs = selectors.occasions(user, _filters(user, filters)).select_related("case__item_version")
    page_ = Paginator(qs, filters.page_size).get_page(filters.page)
    return {
        "count": page_.paginator.count,
        "page": page_.number,
        "page_size": filters.page_size,
        "items": [_occasion_out(o) for o in page_.object_list],
    }


@router.get("/evaluations/summary", response={200: EvaluationRatesOut, **_ERRORS}, summary="Evaluation rates")
def summary(request: HttpRequest, filters: Query[EvaluationFilter]) -> dict[str, Any]:
    """未评率 and 满意率 of the occasions of the caller's scope (date range, department, window,
    kind), computed in one aggregate and reported separately."""
    user = _staff(request)
    found = selectors.summary(user, _filters(user, filters))
    return {
        "occasions": found.occasions,
        "evaluated": found.evaluated,
        "unevaluated": found.unevaluated,
        "evaluations": found.valid,
        "satisfied": found.satisfied,
        "bad": found.bad,
        "voided": found.voided,
        "by_level": found.by_level,
        "unevaluated_rate": found.unevaluated_rate,
        "satisfaction_rate": found.satisfaction_rate,
    }


@router.get(
    "/evaluations/export",
    response=_ERRORS,
    summary="Export evaluations (CSV)",
)
def export(request: HttpRequest, query: Query[EvaluationExportQuery]) -> HttpResponse:
    """The evaluations submitted in the period (local dates), in the caller's scope, as CSV in
    the GB/T 39046 coding (1 = very satisfied) or the national upload's (5 = very satisfied)."""
    user = _staff(request)
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise ValidationFailed(
            _("Check the filters."), details={"from": [_("The first day is after the last day.")]}
        )
    qs = exports.evaluations_to_export(
        fmt=query.format, date_from=query.date_from, date_to=query.date_to, user=user
    )
    data = exports.to_csv(qs.iterator(chunk_size=2000), query.format)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(query.format, query.date_from, query.date_to)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- a case's occasions (GET /api/v1/cases/{number}) -----------------------------------------


def may_hand_out_links(user: Any) -> bool:
    """Whether `user` may print a case's notices with their evaluation QR code: the window staff
    who accept or deliver (the case itself is already in the caller's data scope)."""
    return any(user.has_perm(perm) for perm in LINK_PERMISSIONS)


def case_occasions_out(request: HttpRequest, case_id: int, user: Any) -> list[dict[str, Any]]:
    """The case's occasions with their evaluation state (one query) and, for the window staff,
    each open one's evaluation link (the QR code's address)."""
    links = may_hand_out_links(user)
    return [
        {
            "kind": o.kind,
            "at": local_time(o.at),
            "evaluated": o.evaluated,
            "level": o.level,
            "evaluation_link": evaluation_url(o.id, request=request) if links else None,
        }
        for o in selectors.occasions_of_case(case_id)
    ]
