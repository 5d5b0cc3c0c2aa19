"""Online applications API (网上申报, issue 14 §2).

Applicant endpoints (`Authorization: Bearer owa_…`, from POST /api/v1/public/auth/token; acting
for the enterprise the token was issued for, if any):

POST   /api/v1/public/applications               a draft: {"item_code", "center"?, "form"} → 201;
                                                 a bundle (一件事): {"bundle", "answers", "form"}
GET    /api/v1/public/applications/{id}          status, form, materials (uploads, shared ones),
                                                 rounds with their correction lists, the case
PUT    /api/v1/public/applications/{id}          save the form: {"version", "form"} (stale → 409)
DELETE /api/v1/public/applications/{id}          delete a draft (?version=) → 204
POST   /api/v1/public/applications/{id}/files    multipart: material (id), file (PDF, JPG, PNG,
                                                 OFD; ONLINE_UPLOAD_MAX_MB; checked by content)
POST   /api/v1/public/applications/{id}/submit   {"version"} → submitted, round 1
POST   /api/v1/public/applications/{id}/resubmit {"version"} → after a return, a new round

A bundle application (`bundle_code` set) takes the same endpoints: PUT saves {"version",
"answers", "form"} (the form holds the bundle's fields and address, phone, delivery_method,
note), a file's `material` is the position in the bundle's material list, and the answer shows
the applicable items, the materials they need and, once accepted, the bundle case number.

Staff endpoints (staff token, permission online.prereview_application, the item's department
in the caller's data scope):

GET  /api/v1/prereview                           awaiting pre-review, soonest due first
POST /api/v1/prereview/{id}                      {"outcome": pass | pass_originals | return |
                                                 refuse, "corrections": [{"material", "note"}],
                                                 "reason", "version"}; two at once: one 409

Errors are JSON {"code", "message", "details"} (401, 403, 404, 409, 422).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Schema
from ninja import Status as Answer
from ninja.files import UploadedFile
from pydantic import Field

from onewindow.api import online_bundles
from onewindow.api.applicant_auth import applicant_bearer
from onewindow.api.case_schemas import ErrorOut
from onewindow.api.common import caller
from onewindow.api.common import local_time as _local
from onewindow.api.security import bearer
from onewindow.core import clock
from onewindow.core.errors import PermissionDenied
from onewindow.core.masking import mask_id_number, mask_name
from onewindow.identity.sessions import Applicant
from onewindow.online import bundles, pages, prereview, selectors, services
from onewindow.online.models import OnlineApplication

public_router = Router(auth=applicant_bearer)
router = Router(auth=bearer)

_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
BIG = 2**62
Id = Annotated[int, Path(ge=1, le=BIG)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
FormValue = Annotated[str, Field(max_length=2000)] | None


AnswerValue = Annotated[str, Field(max_length=100)] | None


class ApplicationIn(Schema):
    item_code: str = Field("", max_length=64, description="The item; or `bundle`.")
    bundle: str = Field("", max_length=40, description="A bundle's code (一件事) instead of an item.")
    center: str = Field("", max_length=20, description="The center's code; empty: the default center.")
    answers: dict[str, AnswerValue] = Field(
        default_factory=dict, description="A bundle's situation answers: {question key: option value}."
    )
    form: dict[str, FormValue] = Field(
        default_factory=dict,
        description="address, phone (contact), delivery_method (pickup | mail), note; a bundle's fields too.",
    )


class SaveIn(Schema):
    version: Version
    form: dict[str, FormValue]
    answers: dict[str, AnswerValue] | None = Field(None, description="A bundle's situation answers.")


class ApplicationVersionIn(Schema):
    version: Version


class FileOut(Schema):
    id: int
    material_id: int
    name: str
    size: int
    uploaded_at: Any
    sent_round: int | None


class OnlineMaterialOut(Schema):
    id: int
    name: str
    requirement: str
    shared_from_case: str | None = Field(
        None, description="已共享，无需提交: the case whose result provides it."
    )
    files: list[FileOut]


class RoundOut(Schema):
    number: int
    submitted_at: Any
    due_at: Any
    reviewed_at: Any | None
    outcome: str
    corrections: list[dict[str, Any]]
    reason: str


class ApplicationOut(Schema):
    id: int
    item_code: str
    item_name: str
    status: str
    status_label: str
    version: int
    form: dict[str, Any]
    enterprise: str | None
    round: int
    prereview_due_at: Any | None
    submitted_at: Any | None
    receipt_number: str | None
    case_number: str | None
    case_status: str | None
    next_step: str
    materials: list[OnlineMaterialOut]
    rounds: list[RoundOut]
    bundle_code: str = ""
    bundle_name: str = ""
    answers: dict[str, Any] = Field(default_factory=dict)
    items: list[str] = Field(default_factory=list, description="A bundle's applicable items (codes).")
    bundle_case_number: str | None = None


class PrereviewIn(Schema):
    outcome: Literal["pass", "pass_originals", "return", "refuse"] = Field(
        description="pass (accepted at once) | pass_originals (bring the originals once) | return | refuse"
    )
    corrections: list[dict[str, Any]] = Field(
        default_factory=list,
        description='For a return: [{"material": <id>, "note": "what is wrong"}] (a bundle: the position).',
    )
    reason: str = Field("", max_length=2000)
    version: Version


class QueueItemOut(Schema):
    id: int
    receipt_number: str
    item_code: str
    bundle_code: str = ""
    item_name: str
    department: str
    applicant: str
    applicant_id_number: str
    round: int
    submitted_at: Any
    prereview_due_at: Any | None
    level: str
    version: int


class QueueOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[QueueItemOut]


class PrereviewQueueFilter(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class PrereviewOut(Schema):
    id: int
    status: str
    version: int
    case_number: str | None
    receipt_number: str | None
    bundle_case_number: str | None = None


def _applicant(request: HttpRequest) -> Applicant:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _out(application: OnlineApplication) -> dict[str, Any]:
    if application.bundle_code:
        return online_bundles.bundle_out(application)
    view = pages.application_view(application)
    case = application.case
    return {
        "id": application.pk,
        "item_code": application.item_code,
        "item_name": view.item_name,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "version": application.version,
        "form": application.form or {},
        "enterprise": application.enterprise.name if application.enterprise else None,
        "round": application.round,
        "prereview_due_at": _local(application.prereview_due_at),
        "submitted_at": _local(application.submitted_at),
        "receipt_number": case.receipt_number if case else None,
        "case_number": case.number if case else None,
        "case_status": case.status if case else None,
        "next_step": view.next_step,
        "materials": [
            {
                "id": m.material.pk,
                "name": m.material.name,
                "requirement": m.material.requirement,
                "shared_from_case": m.shared.case_number if m.shared else None,
                "files": [
                    {
                        "id": f.pk,
                        "material_id": f.material_id,
                        "name": f.original_name,
                        "size": f.size,
                        "uploaded_at": _local(f.uploaded_at),
                        "sent_round": f.sent_round,
                    }
                    for f in m.files
                ],
            }
            for m in view.materials
        ],
        "rounds": [
            {
                "number": r.number,
                "submitted_at": _local(r.submitted_at),
                "due_at": _local(r.due_at),
                "reviewed_at": _local(r.reviewed_at),
                "outcome": r.outcome,
                "corrections": list(r.corrections or []),
                "reason": r.reason,
            }
            for r in view.rounds
        ],
    }


def _fresh(request: HttpRequest, pk: int) -> OnlineApplication:
    return selectors.application_for(_applicant(request), pk)


# --- the applicant's endpoints -----------------------------------------------------------------


@public_router.post("/applications", response={201: ApplicationOut, **_ERRORS})
def create_application(request: HttpRequest, payload: ApplicationIn) -> Answer[dict[str, Any]]:
    """Start a draft for an item open to online applications."""
    center = selectors.center_for(payload.center)
    if payload.bundle.strip() and not payload.item_code.strip():
        application = bundles.bundle_application_create(
            applicant=_applicant(request),
            center=center,
            bundle_code=payload.bundle.strip(),
            answers=payload.answers,
            form=payload.form,
        )
        return Answer(201, _out(_fresh(request, application.pk)))
    online_bundles.one_of(payload.item_code, payload.bundle, payload.answers)
    application = services.application_create(
        applicant=_applicant(request), center=center, item_code=payload.item_code.strip(), form=payload.form
    )
    return Answer(201, _out(_fresh(request, application.pk)))


@public_router.get(
    "/applications/{id}", response={200: ApplicationOut, **_ERRORS}, url_name="online_application"
)
def get_application(request: HttpRequest, id: Id) -> dict[str, Any]:
    """The application as its applicant sees it: what to do next, the rounds, the files."""
    return _out(_fresh(request, id))


@public_router.put("/applications/{id}", response={200: ApplicationOut, **_ERRORS})
def save_application(request: HttpRequest, id: Id, payload: SaveIn) -> dict[str, Any]:
    """Save the form of a draft (or of a returned application); a stale version is a 409."""
    if _fresh(request, id).bundle_code:
        bundles.bundle_application_save(
            applicant=_applicant(request),
            pk=id,
            version=payload.version,
            answers=payload.answers,
            form=payload.form,
        )
        return _out(_fresh(request, id))
    services.application_save(
        applicant=_applicant(request), pk=id, version=payload.version, form=payload.form
    )
    return _out(_fresh(request, id))


@public_router.delete("/applications/{id}", response={204: None, **_ERRORS})
def delete_application(
    request: HttpRequest,
    id: Id,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Answer[None]:
    """Delete a draft and its uploads."""
    services.application_delete(applicant=_applicant(request), pk=id, version=version)
    return Answer(204, None)


@public_router.post("/applications/{id}/files", response={201: FileOut, **_ERRORS})
def upload_file(
    request: HttpRequest,
    id: Id,
    material: Form[Annotated[int, Field(ge=1, le=BIG)]],
    file: File[UploadedFile],
) -> Answer[dict[str, Any]]:
    """Upload a file for one of the item's materials (multipart: `material`, `file`); for a
    bundle, `material` is the position in the bundle's material list."""
    if _fresh(request, id).bundle_code:
        added = bundles.bundle_file_add(applicant=_applicant(request), pk=id, material=material, file=file)
        return Answer(201, online_bundles.file_out(added))
    row = services.application_file_add(applicant=_applicant(request), pk=id, material_id=material, file=file)
    return Answer(
        201,
        {
            "id": row.pk,
            "material_id": row.material_id,
            "name": row.original_name,
            "size": row.size,
            "uploaded_at": _local(row.uploaded_at),
            "sent_round": row.sent_round,
        },
    )


@public_router.post("/applications/{id}/submit", response={200: ApplicationOut, **_ERRORS})
def submit_application(request: HttpRequest, id: Id, payload: ApplicationVersionIn) -> dict[str, Any]:
    """Submit the draft: the case is created (receipt number) and the pre-review starts."""
    if _fresh(request, id).bundle_code:
        bundles.bundle_application_submit(applicant=_applicant(request), pk=id, version=payload.version)
    else:
        services.application_submit(applicant=_applicant(request), pk=id, version=payload.version)
    return _out(_fresh(request, id))


@public_router.post("/applications/{id}/resubmit", response={200: ApplicationOut, **_ERRORS})
def resubmit_application(request: HttpRequest, id: Id, payload: ApplicationVersionIn) -> dict[str, Any]:
    """Send the corrected materials after a return: a new round of pre-review."""
    if _fresh(request, id).bundle_code:
        bundles.bundle_application_resubmit(applicant=_applicant(request), pk=id, version=payload.version)
    else:
        services.application_resubmit(applicant=_applicant(request), pk=id, version=payload.version)
    return _out(_fresh(request, id))


# --- the department's pre-review -----------------------------------------------------------------


@router.get("/prereview", response={200: QueueOut, **_ERRORS})
def prereview_queue(request: HttpRequest, filters: Query[PrereviewQueueFilter]) -> dict[str, Any]:
    """Applications awaiting pre-review in the caller's scope, soonest due first (applicants masked)."""
    user = caller(request)
    if not user.has_perm(selectors.PERMISSION):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": selectors.PERMISSION})
    page = Paginator(selectors.queue(user), filters.page_size).get_page(filters.page)
    now = clock.now()
    return {
        "count": page.paginator.count,
        "page": page.number,
        "page_size": filters.page_size,
        "items": [
            online_bundles.queue_row(a, now)
            if a.bundle_code
            else {
                "id": a.pk,
                "receipt_number": a.case.receipt_number if a.case else "",
                "item_code": a.item_code,
                "item_name": a.case.item_version.name if a.case else "",
                "department": a.case.department.name if a.case else "",
                "applicant": mask_name(a.case.applicant_name) if a.case else "",
                "applicant_id_number": mask_id_number(a.case.applicant_id_number) if a.case else "",
                "round": a.round,
                "submitted_at": _local(a.submitted_at),
                "prereview_due_at": _local(a.prereview_due_at),
                "level": selectors.level(a, now),
                "version": a.version,
            }
            for a in page.object_list
        ],
    }


@router.post("/prereview/{id}", response={200: PrereviewOut, **_ERRORS})
def prereview_decide(request: HttpRequest, id: Id, payload: PrereviewIn) -> dict[str, Any]:
    """Decide the current round: pass (accepted at once), pass_originals (the window accepts on
    one visit), return (the correction list, everything at once) or refuse (reason)."""
    application = prereview.application_prereview(
        actor=caller(request),
        pk=id,
        outcome=payload.outcome,
        version=payload.version,
        corrections=payload.corrections,
        reason=payload.reason,
    )
    case = application.case
    return {
        "id": application.pk,
        "status": application.status,
        "version": application.version,
        "case_number": case.number if case else None,
        "receipt_number": case.receipt_number if case else None,
        "bundle_case_number": application.bundle_case.number if application.bundle_case else None,
    }


__all__ = ["HttpResponse", "public_router", "router"]
