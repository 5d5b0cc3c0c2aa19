"""Links to a case's pages that several interfaces hand out (the API answers them, the staff
pages redirect to them). Plain path building, so that neither interface reverses the other's
URL names; a web test checks each against the staff URLconf."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import get_script_prefix

STAFF_CASES = "staff/cases/"  # where onewindow.conf.urls mounts onewindow.web.cases.urls


def staff_notice_path(case_number: str, notice_number: str) -> str:
    """The printable notice (acceptance, correction, refusal …) on the staff pages."""
    case, notice = quote(case_number, safe=""), quote(notice_number, safe="")
    return f"{get_script_prefix()}{STAFF_CASES}{case}/notices/{notice}/"
