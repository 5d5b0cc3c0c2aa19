"""Public progress lookup (no token, rate-limited per address).

GET  /api/v1/public/progress?number=…&code=…   code: the last four characters of the applicant's
                                               phone or ID number. Any wrong input (unknown
                                               number, wrong code, a number with a typing error)
                                               gets the same 404, so numbers cannot be probed.
                                               A bundle case number (一件事) answers the bundle
                                               (`kind` "bundle": per department the item, status
                                               and public events); a sub-case names its `bundle`.

Errors are JSON {"code", "message", "details"}: 404 not_found, 429 rate_limited.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal, Union

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Query, Router, Schema
from ninja import Status as Answer
from ninja.responses import NinjaJSONEncoder
from pydantic import Field

from onewindow.api.bundle_schemas import PublicBundleProgressOut
from onewindow.api.case_schemas import ErrorOut
from onewindow.approvals import public as bundle_public
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


class PublicBundleRefOut(Schema):
    number: str
    name: str


class PublicProgressOut(Schema):
    kind: Literal["case"] = "case"
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
    bundle: PublicBundleRefOut | None = Field(
        None, description="The bundle (一件事) this case is part of; look it up with its number."
    )


# --- public ------------------------------------------------------------------------------------

NOT_FOUND_MESSAGE = gettext_noop(
    "No case matches this number and code. Check the case number on your notice and the last four "
    "characters of the phone number or ID number given in the application."
)


@public_router.get(
    "/progress",
    response={
        200: Annotated[Union[PublicProgressOut, PublicBundleProgressOut], Field(discriminator="kind")],  # noqa: UP007
        404: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    auth=None,
)
def public_progress(
    request: HttpRequest,
    number: Annotated[
        str, Query(description="Case number, receipt number or bundle case number.", max_length=64)
    ],
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
        # not a case: a bundle case number (the same number sequence, so never both)
        bundle = bundle_public.public_bundle(number[:64], code[:16])
        if bundle is None:
            return Answer(404, {"code": "not_found", "message": _(NOT_FOUND_MESSAGE), "details": None})
        return Answer(200, bundle_payload(bundle))
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
    part_of = bundle_public.bundle_of_case(found.number) if found.joint else None  # no query otherwise

    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "kind": "case",
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
        "bundle": {"number": part_of.number, "name": part_of.name} if part_of else None,
    }


def bundle_payload(found: bundle_public.PublicBundle) -> dict[str, Any]:
    """The PublicBundleProgressOut body of a bundle lookup."""

    def events(rows: tuple[bundle_public.PublicEvent, ...]) -> list[dict[str, Any]]:
        return [{"at": e.at, "action": e.action, "label": e.label, "status": e.status} for e in rows]

    return {
        "kind": "bundle",
        "number": found.number,
        "bundle_name": found.bundle_name,
        "applicant": found.applicant,
        "status": found.status,
        "status_label": found.status_label,
        "received_on": found.received_on,
        "accepted_on": found.accepted_on,
        "due_date": found.due_date,
        "decided_on": found.decided_on,
        "delivered_on": found.delivered_on,
        "phases": [vars(p) for p in found.phases],
        "sub_cases": [{**vars(s), "events": events(s.events)} for s in found.sub_cases],
        "corrections": [vars(c) for c in found.corrections],
        "events": events(found.events),
    }
