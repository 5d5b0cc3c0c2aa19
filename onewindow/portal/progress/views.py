"""The public progress page (/progress/).

Anyone with the case number (printed on every notice, and in the notice's QR code, which opens
this page pre-filled) and the last four characters of the applicant's phone or ID number sees
the item, the status, the public steps with their dates, the due date, pauses with their kind
and the list of materials to correct. Never a staff name, an internal opinion or personal data.

Every failure (unknown number, wrong code, a number with a typing error) gets the same answer,
so numbers cannot be probed; lookups are limited per address (shared with the API's
/api/v1/public/progress).

A bundle case number (一件事) shows the bundle: its status, the joint due date, its phases and,
per department, the item, the sub-case's status, outcome (with a denial's reasons) and public
events (`approvals.public`). A sub-case says which bundle it is part of.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.approvals import public as bundle_public
from onewindow.cases import selectors
from onewindow.cases import transitions as T
from onewindow.cases.facts import STATUS_LABELS, STEP_STATUS_LABELS
from onewindow.core import ratelimit
from onewindow.core.middleware import client_ip
from onewindow.org.models import Center
from onewindow.portal.views.base import guide_page, guide_render

RATE_KEY = "progress:{ip}"  # the same budget as the API's public lookup
WINDOW_SECONDS = 60

EVENT_LABELS = {
    T.SUBMIT: gettext_lazy("Submitted online"),
    T.RECEIVE: gettext_lazy("Received at the window"),
    T.PRE_REVIEW_PASS: gettext_lazy("Online pre-review passed"),
    T.ACCEPT: gettext_lazy("Application accepted"),
    T.DEEM_ACCEPT: gettext_lazy("Deemed accepted (5 working days passed)"),
    T.REQUEST_CORRECTION: gettext_lazy("Correction of materials requested"),
    T.RECEIVE_CORRECTION: gettext_lazy("Corrected materials received"),
    T.REFUSE: gettext_lazy("Not accepted"),
    T.PASS_STEP: gettext_lazy("Step completed"),
    T.DEEM_APPROVE_STEP: gettext_lazy("Step completed (deemed approval on timeout)"),
    T.GRANT: gettext_lazy("Granted"),
    T.DENY: gettext_lazy("Not granted"),
    T.START_SPECIAL_PROCEDURE: gettext_lazy("Special procedure started (clock paused)"),
    T.END_SPECIAL_PROCEDURE: gettext_lazy("Special procedure ended"),
    T.REQUEST_PROCESSING_CORRECTION: gettext_lazy("Correction of materials requested (clock paused)"),
    T.RECEIVE_PROCESSING_CORRECTION: gettext_lazy("Corrected materials received"),
    T.APPROVE_EXTENSION: gettext_lazy("Time limit extended"),
    T.ISSUE_CERTIFICATE: gettext_lazy("Certificate issued"),
    T.COMPLETE: gettext_lazy("Completed: the result is ready"),
    T.DELIVER: gettext_lazy("Result delivered"),
    T.WITHDRAW: gettext_lazy("Withdrawn"),
    T.TERMINATE: gettext_lazy("Terminated"),
}


def lookups_per_minute() -> int:
    return int(getattr(settings, "PROGRESS_LOOKUPS_PER_MINUTE", 30))


def not_found_message() -> str:
    return _(
        "No case matches this number and code. Check the case number on your notice and the last "
        "four digits of the phone number or ID number given in the application."
    )


@guide_page
def progress(request: HttpRequest, center: Center) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    number = (source.get("number") or "").strip()[:64]
    code = (request.POST.get("code") or "").strip()[:16] if request.method == "POST" else ""
    context: dict[str, Any] = {"nav_active": "progress", "number": number, "result": None, "message": ""}
    status = 200
    if request.method == "POST":
        if not ratelimit.check_rate(
            key=RATE_KEY.format(ip=client_ip(request)),
            limit=lookups_per_minute(),
            window_seconds=WINDOW_SECONDS,
        ):
            status = 429
            context["message"] = _("Too many lookups from your address. Wait a minute and try again.")
        elif not number or not code:
            status = 422
            context["message"] = _("Enter the case number and the last four digits.")
        else:
            found = selectors.public_progress(number, code)
            bundle = bundle_public.public_bundle(number, code) if found is None else None
            if bundle is not None:
                context.update(bundle_context(bundle))
            elif found is None:
                status = 404
                context["message"] = not_found_message()
            else:
                context["part_of"] = bundle_public.bundle_of_case(found.number) if found.joint else None
                context["result"] = found
                context["status_label"] = STATUS_LABELS.get(found.status, found.status_label)
                context["steps"] = [(s, STEP_STATUS_LABELS.get(s.status, s.status)) for s in found.steps]
                context["events"] = [
                    (at, EVENT_LABELS.get(action, action)) for at, action, _status in found.events
                ]
    return guide_render(request, "portal/progress/progress.html", center, context, status=status)


def _event_rows(events: tuple[bundle_public.PublicEvent, ...]) -> list[tuple[Any, str]]:
    return [(e.at, str(EVENT_LABELS.get(e.action, e.label))) for e in events]


def bundle_context(bundle: bundle_public.PublicBundle) -> dict[str, Any]:
    """The template's view of a bundle: the case events with the public labels of this page,
    the bundle's own events with theirs."""
    return {
        "bundle": bundle,
        "bundle_subs": [
            (sub, STATUS_LABELS.get(sub.status, sub.status_label), _event_rows(sub.events))
            for sub in bundle.sub_cases
        ],
        "bundle_events": [(e.at, e.label) for e in bundle.events],
    }
