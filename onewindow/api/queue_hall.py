"""The hall's screens (issue 16): public, no sign-in, read only.

GET /api/v1/queue/hall?center=<code>&since=<version>&after=<announcement id>
    200 the whole state of the hall screen (hall.screens.hall_state) with its `version`;
    204 when `since` is the board's version (one row read: nothing moved). `after`: the last
    announcement the screen has spoken; the answer's `announcements` are the newer ones (oldest
    first, each with its text and the clip names to play). 404 for an unknown center.
GET /api/v1/public/queue/wait/{token}
    the live wait page of one ticket (hall.screens.wait_state): status, window, people ahead, the
    estimated wait. 404 for a bad token.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer

from onewindow.api.case_schemas import ErrorOut
from onewindow.core.errors import NotFound
from onewindow.hall import screens
from onewindow.hall.waitlink import ticket_from_wait_token

router = Router(auth=None)

public_router = Router(auth=None)


class HallCenterOut(Schema):
    code: str
    name: str


class HallCallOut(Schema):
    id: int
    kind: str
    number: str
    window: str
    text: str
    clips: list[str]
    at: str


class HallWaitingOut(Schema):
    letter: str
    name: str
    waiting: int


class HallWindowOut(Schema):
    code: str
    name: str
    status: str
    status_label: str
    message: str
    back: str
    current: str


class HallResultOut(Schema):
    number: str
    item: str
    applicant: str = Field(description="Masked: 张*.")
    result: str
    at: str


class HallStateOut(Schema):
    center: HallCenterOut
    version: int
    date: str
    time: str
    calls: list[HallCallOut] = Field(description="The latest call of each window, newest first.")
    recent: list[HallCallOut]
    announcements: list[HallCallOut] = Field(description="Newer than `after`, oldest first: speak in order.")
    last_announcement: int
    waiting: list[HallWaitingOut]
    windows: list[HallWindowOut]
    notices: list[str]
    results: list[HallResultOut] = Field(description="审批结果公示: cases completed today.")


class HallStateQuery(Schema):
    center: str = Field(max_length=20)
    since: int | None = Field(None, ge=0, description="The version the screen shows: 204 when unchanged.")
    after: int | None = Field(None, ge=0, description="The last announcement id the screen has.")


class QueueWaitOut(Schema):
    number: str
    business: str
    center: str
    status: str
    status_label: str
    window: str
    window_name: str
    ahead: int
    position: int
    estimate_minutes: int = Field(description="An estimate: people ahead × today's average service time.")
    estimate_default: bool = Field(description="True: no history today, 5 minutes per person.")
    windows: list[str]
    issued_at: str
    called_at: str
    version: int


@router.get(
    "/queue/hall",
    response={200: HallStateOut, 204: None, 404: ErrorOut, 422: ErrorOut},
    summary="The hall screen's state (204 when unchanged since a version)",
    url_name="hall_state",
)
def hall_state(request: HttpRequest, query: Query[HallStateQuery]) -> Any:
    if query.since is not None and screens.version_of(query.center) == query.since:
        return Answer(204, None)
    center = screens.center_by_code(query.center)
    return screens.hall_state(center, after=query.after)


@public_router.get(
    "/queue/wait/{token}",
    response={200: QueueWaitOut, 404: ErrorOut},
    summary="The live wait page of one ticket",
    url_name="queue_wait",
)
def queue_wait(request: HttpRequest, token: str) -> Any:
    ticket = ticket_from_wait_token(token[:200])
    if ticket is None:
        raise NotFound(_("There is no such ticket."), code="no_ticket")
    return screens.wait_state(ticket)
