"""My cases (我的办件) for the applicant's app: `Authorization: Bearer owa_…` (an applicant
token, POST /api/v1/public/auth/token). Who sees which case is decided in
`onewindow.online.my_cases` (the portal's pages use the same reading).

GET  /api/v1/public/my/cases                                     the lists (tabs), paginated, masked
GET  /api/v1/public/my/cases/{number}                            progress, due dates, notices, messages
GET  /api/v1/public/my/cases/{number}/notices/{notice_number}.pdf  a notice as PDF
POST /api/v1/public/my/cases/{number}/withdraw                   withdraw (version + reason)

A case the applicant may not see is a 404, as for a number that does not exist. Errors are JSON
{"code", "message", "details"}: 401, 404, 409 (stale version), 422.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from pydantic import Field

from onewindow.api.applicant_auth import applicant_bearer
from onewindow.api.case_schemas import MAX_PAGE_SIZE, ErrorOut
from onewindow.api.limits import MAX_INT, TEXT_MAX, column
from onewindow.cases import notice_pdf
from onewindow.cases.facts import step_status_label
from onewindow.cases.models import Case, Notice
from onewindow.identity.sessions import Applicant
from onewindow.online import my_cases

router = Router(auth=applicant_bearer)

Number = Annotated[str, Path(description="Case number or receipt number.", max_length=column(Case, "number"))]
NoticeNumber = Annotated[str, Path(description="The notice's number.", max_length=column(Notice, "number"))]
_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class MyCaseRowOut(Schema):
    tab: Literal["drafts", "submitted", "in_progress", "done"]
    item_name: str
    item_code: str
    number: str | None = Field(description="Case or receipt number; null for a draft.")
    status: str = Field(description="The case's status, or the online application's while it has no case.")
    status_label: str
    at: dt.datetime = Field(description="The last change known.")
    due_at: dt.datetime | None
    acted_by: str | None = Field(description="Acting for an enterprise: who submitted it (masked).")
    application_id: int | None
    channel: str
    bundle_number: str | None = Field(
        None, description="A bundle applied for online: its bundle case number."
    )


class MyCaseListOut(Schema):
    count: int
    page: int
    page_size: int
    counts: dict[str, int] = Field(description="Rows per tab.")
    items: list[MyCaseRowOut]


class MyCaseFilter(Schema):
    tab: Literal["drafts", "submitted", "in_progress", "done"] | None = Field(
        None, description="One tab only."
    )
    page: int = Field(1, ge=1, le=MAX_INT // MAX_PAGE_SIZE)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class MyStepOut(Schema):
    name: str
    status: str
    status_label: str
    started_on: dt.date | None
    finished_on: dt.date | None


class MyPauseOut(Schema):
    kind: str
    kind_label: str
    started_on: dt.date
    ended_on: dt.date | None


class MyCorrectionOut(Schema):
    name: str
    note: str


class MyEventOut(Schema):
    at: dt.datetime
    action: str
    status: str


class MyNoticeOut(Schema):
    number: str
    kind: str
    title: str
    issued_at: dt.datetime
    pdf_url: str


class MyMessageOut(Schema):
    at: dt.datetime
    body: str
    status: str


class MyCaseOut(Schema):
    number: str
    receipt_number: str
    item_name: str
    item_code: str
    department: str
    status: str
    status_label: str
    tab: str
    version: int = Field(description="Give it back to withdraw (a stale one answers 409).")
    received_on: dt.date | None
    accepted_on: dt.date | None
    due_date: dt.date | None = Field(description="The promised completion date.")
    legal_due_date: dt.date | None
    completed_on: dt.date | None
    steps: list[MyStepOut]
    pauses: list[MyPauseOut]
    corrections: list[MyCorrectionOut]
    events: list[MyEventOut]
    notices: list[MyNoticeOut]
    messages: list[MyMessageOut]
    may_withdraw: bool


class WithdrawIn(Schema):
    version: int = Field(ge=1, le=MAX_INT, description="The case's version as last read.")
    reason: str = Field(min_length=1, max_length=TEXT_MAX, description="Why the applicant withdraws.")


class WithdrawOut(Schema):
    number: str
    status: str
    version: int


def _applicant(request: HttpRequest) -> Applicant:
    return request.auth  # type: ignore[attr-defined,no-any-return]


@router.get("/cases", response={200: MyCaseListOut, **_ERRORS})
def list_my_cases(request: HttpRequest, filters: Query[MyCaseFilter]) -> dict[str, Any]:
    """The applicant's applications and cases, the latest first (acting for an enterprise: the
    enterprise's, with the agent who submitted each)."""
    rows = my_cases.my_cases(_applicant(request))
    counts = {tab: 0 for tab in my_cases.TABS}
    for row in rows:
        counts[row.tab] += 1
    chosen = [r for r in rows if filters.tab is None or r.tab == filters.tab]
    start = (filters.page - 1) * filters.page_size
    return {
        "count": len(chosen),
        "page": filters.page,
        "page_size": filters.page_size,
        "counts": counts,
        "items": [my_cases.row_payload(r) for r in chosen[start : start + filters.page_size]],
    }


def _pdf_url(case: Case, notice: Notice) -> str:
    return reverse("api:my_notice_pdf", args=[case.display_number, notice.number])


@router.get("/cases/{number}", response={200: MyCaseOut, **_ERRORS})
def get_my_case(request: HttpRequest, number: Number) -> dict[str, Any]:
    """One case: its public progress, due dates, notices and the messages sent about it."""
    found = my_cases.my_case(_applicant(request), number)
    case, progress = found.case, found.progress
    return {
        "number": case.display_number,
        "receipt_number": case.receipt_number,
        "item_name": case.item_version.name,
        "item_code": case.item_version.item.code,
        "department": case.department.name,
        "status": case.status,
        "status_label": progress.status_label if progress else case.status,
        "tab": found.tab,
        "version": case.version,
        "received_on": progress.received_on if progress else None,
        "accepted_on": case.accepted_on,
        "due_date": found.due_date,
        "legal_due_date": found.legal_due_date,
        "completed_on": progress.completed_on if progress else None,
        "steps": [
            {**s.__dict__, "status_label": step_status_label(s.status)}
            for s in (progress.steps if progress else ())
        ],
        "pauses": [p.__dict__ for p in (progress.pauses if progress else ())],
        "corrections": [c.__dict__ for c in (progress.corrections if progress else ())],
        "events": [
            {"at": timezone.localtime(at), "action": action, "status": status}
            for at, action, status in (progress.events if progress else ())
        ],
        "notices": [
            {
                "number": n.number,
                "kind": n.kind,
                "title": notice_pdf.title(n),
                "issued_at": timezone.localtime(n.issued_at),
                "pdf_url": _pdf_url(case, n),
            }
            for n in found.notices
        ],
        "messages": [
            {"at": timezone.localtime(m.at), "body": m.body, "status": m.status} for m in found.messages
        ],
        "may_withdraw": found.may_withdraw,
    }


@router.get(
    "/cases/{number}/notices/{notice_number}.pdf",
    response={**_ERRORS},
    url_name="my_notice_pdf",
    openapi_extra={
        "responses": {
            200: {
                "description": "The notice as a PDF document.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def my_notice_pdf(request: HttpRequest, number: Number, notice_number: NoticeNumber) -> HttpResponse:
    """A notice of one of the applicant's cases, as PDF (the same document as the portal's)."""
    notice = my_cases.my_notice(_applicant(request), number, notice_number)
    response = HttpResponse(
        notice_pdf.notice_pdf(notice, request=request), content_type=notice_pdf.CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{notice_pdf.filename(notice)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/cases/{number}/withdraw", response={200: WithdrawOut, 409: ErrorOut, 403: ErrorOut, **_ERRORS})
def withdraw_my_case(request: HttpRequest, number: Number, payload: WithdrawIn) -> dict[str, Any]:
    """Withdraw the application (撤回申请): the handling ends for good. A bundle's sub-case is
    withdrawn with its bundle (403); a stale version is a 409."""
    case = my_cases.my_case_withdraw(
        applicant=_applicant(request), number=number, version=payload.version, reason=payload.reason
    )
    return {"number": case.display_number, "status": case.status, "version": case.version}
