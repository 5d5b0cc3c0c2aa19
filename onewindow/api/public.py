"""Public progress lookup (no token, rate-limited per address).

GET  /api/v1/public/progress?number=…&code=…   code: the last four characters of the applicant's
                                               phone or ID number. Any wrong input (unknown
                                               number, wrong code, a number with a typing error)
                                               gets the same 404, so numbers cannot be probed.

Errors are JSON {"code", "message", "details"}: 404 not_found, 429 rate_limited.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Query, Router, Schema
from ninja import Status as Answer
from ninja.responses import NinjaJSONEncoder

from onewindow.api.case_schemas import ErrorOut
from onewindow.cases import selectors
from onewindow.core import ratelimit
from onewindow.core.middleware import client_ip

public_router = Router(auth=None)

# Shared with the public progress page (onewindow.portal.progress): one budget per address.
PROGRESS_RATE_KEY = "progress:{ip}"
PROGRESS_WINDOW_SECONDS = 60


def progress_lookups_per_minute() -> int:
    return int(getattr(settings, "PROGRESS_LOOKUPS_PER_MINUTE", 30))


class PublicStepOut(Schema):
    name: str
    status: str
    started_on: dt.date | None
    finished_on: dt.date | None


class PublicPauseOut(Schema):
    kind: str
    kind_label: str
    started_on: dt.date
    ended_on: dt.date | None


class PublicCorrectionOut(Schema):
    name: str
    note: str


class PublicEventOut(Schema):
    at: dt.datetime
    action: str
    status: str


class PublicProgressOut(Schema):
    number: str
    item_name: str
    department: str
    status: str
    status_label: str
    received_on: dt.date | None
    accepted_on: dt.date | None
    due_date: dt.date | None
    completed_on: dt.date | None
    steps: list[PublicStepOut]
    pauses: list[PublicPauseOut]
    corrections: list[PublicCorrectionOut]
    events: list[PublicEventOut]


# --- public ------------------------------------------------------------------------------------

NOT_FOUND_MESSAGE = gettext_noop(
    "No case matches this number and code. Check the case number on your notice and the last four "
    "characters of the phone number or ID number given in the application."
)


@public_router.get(
    "/progress",
    response={200: PublicProgressOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
)
def public_progress(
    request: HttpRequest,
    number: Annotated[str, Query(description="Case number or receipt number.", max_length=64)],
    code: Annotated[
        str,
        Query(description="The last four characters of the applicant's phone or ID number.", max_length=16),
    ],
) -> Any:
    """What anyone may see of a case: item, status, public steps with dates, the due date,
    pauses and their kind, the correction list (ID numbers and phones typed into it masked). No
    staff names, no internal opinions, no personal data. Every failure (unknown number, wrong
    code, typing error in the number) answers the same 404."""
    ip = client_ip(request)
    if not ratelimit.check_rate(
        key=PROGRESS_RATE_KEY.format(ip=ip),
        limit=progress_lookups_per_minute(),
        window_seconds=PROGRESS_WINDOW_SECONDS,
    ):
        return Answer(
            429,
            {
                "code": "rate_limited",
                "message": _("Too many lookups from your address. Wait a minute and try again."),
                "details": {"retry_after_seconds": PROGRESS_WINDOW_SECONDS},
            },
        )
    found = selectors.public_progress(number[:64], code[:16])
    if found is None:
        return Answer(404, {"code": "not_found", "message": _(NOT_FOUND_MESSAGE), "details": None})
    # The lookup is the hottest public read (issue 3: >= 400/s): the payload is built from the
    # selector's frozen dataclasses, which already have the schema's shape and types, and is
    # rendered as Ninja would render it, without validating it again (that validation cost as
    # much as the two queries). tests/test_public_api.py checks it against PublicProgressOut.
    return HttpResponse(
        json.dumps(progress_payload(found), cls=NinjaJSONEncoder),
        content_type="application/json; charset=utf-8",
    )


def progress_payload(found: selectors.PublicProgress) -> dict[str, Any]:
    """The PublicProgressOut body of a lookup as JSON-ready values (dates as ISO strings, as the
    JSON encoder would write them; the event times stay datetimes for the encoder)."""
    tz = timezone.get_current_timezone()

    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "number": found.number,
        "item_name": found.item_name,
        "department": found.department,
        "status": found.status,
        "status_label": found.status_label,
        "received_on": day(found.received_on),
        "accepted_on": day(found.accepted_on),
        "due_date": day(found.due_date),
        "completed_on": day(found.completed_on),
        "steps": [
            {
                "name": s.name,
                "status": s.status,
                "started_on": day(s.started_on),
                "finished_on": day(s.finished_on),
            }
            for s in found.steps
        ],
        "pauses": [
            {
                "kind": p.kind,
                "kind_label": p.kind_label,
                "started_on": day(p.started_on),
                "ended_on": day(p.ended_on),
            }
            for p in found.pauses
        ],
        "corrections": [{"name": c.name, "note": c.note} for c in found.corrections],
        "events": [
            {"at": at.astimezone(tz), "action": action, "status": status}
            for at, action, status in found.events
        ],
    }
