"""Printable notices: what each kind is called, and the QR code that opens the public progress
page pre-filled with the case number.

A notice is rendered from its stored `Notice.data` snapshot only (plus the center's name when the
snapshot predates it), so printing it again gives the same page.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urlencode

import segno
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onewindow.calendar import selectors as calendar_selectors
from onewindow.cases.evaluation_links import evaluation_link
from onewindow.cases.models import CasePause, Notice
from onewindow.core.dates import as_date
from onewindow.core.public_url import public_base_url

TITLES: dict[str, Promise] = {
    Notice.Kind.RECEIPT: _("Receipt"),
    Notice.Kind.ACCEPTANCE: _("Acceptance notice"),
    Notice.Kind.CORRECTION: _("Correction notice (one-time notice)"),
    Notice.Kind.REFUSAL: _("Refusal notice"),
    Notice.Kind.SPECIAL_PROCEDURE: _("Special procedure notice"),
    Notice.Kind.EXTENSION: _("Extension notice"),
    Notice.Kind.TERMINATION: _("Termination notice"),
}
GRANTED_TITLE = _("Decision to grant the administrative license")
DENIED_TITLE = _("Decision not to grant the administrative license")


def title(notice: Notice) -> str:
    if notice.kind == Notice.Kind.DECISION:
        return str(DENIED_TITLE if notice.data.get("decision") == "denied" else GRANTED_TITLE)
    return str(TITLES.get(notice.kind, notice.kind))


def progress_url(number: str, request: Any = None) -> str:
    """The public progress page for `number`, as an absolute address: PUBLIC_BASE_URL, else the
    address `manage.py serve` was started on (`core.public_url`)."""
    base = public_base_url(request)
    return f"{base}{reverse('portal:progress')}?{urlencode({'number': number})}"


# The dates of a snapshot that lie ahead and depend on the holiday schedule.
_SCHEDULED_DATES = ("due_date", "expected_end")


def tentative(data: dict[str, Any]) -> bool:
    """Whether a date the notice promises (due date, expected end) lies in a year whose holiday
    schedule is not confirmed yet: the notice then says the date may change."""
    table = calendar_selectors.table()
    for key in _SCHEDULED_DATES:
        day = as_date(data.get(key))
        if day is not None and not table.is_confirmed(day.year):
            return True
    return False


@functools.lru_cache(maxsize=512)
def qr_svg(url: str) -> str:
    """An inline SVG QR code (segno) for `url`."""
    return str(segno.make(url, error="m").svg_inline(scale=3, border=2, title=url))


def context(notice: Notice, *, center_name: str, request: Any = None) -> dict[str, Any]:
    """What the notice template shows: the snapshot, its title, the QR code, and whether a date
    it promises is tentative (unconfirmed holiday schedule)."""
    data = dict(notice.data or {})
    number = data.get("case_number") or data.get("receipt_number") or ""
    url = progress_url(number, request)
    kind_labels = dict(CasePause.Kind.choices)
    evaluation_url = evaluation_link(notice.case, notice.kind, request)
    return {
        "notice": notice,
        "data": data,
        "title": title(notice),
        "center_name": data.get("center_name") or center_name,
        "display_number": number,
        "progress_url": url,
        "qr_svg": qr_svg(url),
        "evaluation_url": evaluation_url,
        "evaluation_qr_svg": qr_svg(evaluation_url) if evaluation_url else "",
        "procedure_label": kind_labels.get(str(data.get("kind", "")), data.get("kind", "")),
        "phase_during": data.get("phase") == "during_processing",
        "tentative": tentative(data),
    }
