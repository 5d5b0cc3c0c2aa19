"""The case page masks the ID numbers and phones typed into notes and opinions; "show full
details" (with a reason) shows them in full in place, through htmx, and the next visit is masked
again (issue 12 §4)."""

from __future__ import annotations

import pytest

from onewindow.cases import services
from onewindow.cases.applicants import resident_id_check
from onewindow.core.models import AuditEntry
from tests.browser.test_case_flow import login

pytestmark = pytest.mark.browser

ID_NUMBER = "11010119900307123" + resident_id_check("11010119900307123")
NOTE = "代办人身份证11010519491231002X，电话13912345678"


def test_the_reveal_shows_the_full_note_in_place(page, guide_data):
    case = services.case_intake(
        actor=guide_data.user("clerk"),
        item_code="SC001",
        center=guide_data.center,
        applicant={
            "kind": "person",
            "name": "张三",
            "id_type": "resident_id",
            "id_number": ID_NUMBER,
            "phone": "13812345678",
        },
        channel="window",
        materials=[],
        action="accept",
        note=NOTE,
    )
    login(page, "clerk")
    page.goto(f"/staff/cases/{case.number}/")
    note = page.locator("[data-testid=case-note]")
    assert note.inner_text() == "代办人身份证110***********002X，电话139****5678"
    page.fill("[data-testid=reveal-form] input[name=reason]", "电话核实代办人")
    page.click("[data-testid=reveal-form] button[type=submit]")
    page.wait_for_selector("[data-testid=revealed]")
    assert page.locator("[data-testid=case-note]").inner_text() == NOTE
    assert page.locator("[data-testid=applicant-id]").inner_text() == ID_NUMBER
    assert page.url.endswith(f"/staff/cases/{case.number}/")  # swapped in place
    assert AuditEntry.objects.filter(action="case.reveal_applicant").count() == 1
    page.reload()
    assert "139****5678" in page.locator("[data-testid=case-note]").inner_text()
