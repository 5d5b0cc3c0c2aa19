"""Complaints in a browser: a clerk registers a complaint at the desk (the number and query code
shown once), the department's chief answers it, the supervisor judges it valid with an
accountability record."""

from __future__ import annotations

import pytest

from onewindow.complaints.models import Complaint
from onewindow.supervision.models import AccountabilityRecord
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def staff_tab(browser, live_server, username: str):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.goto("/staff/login/")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_selector("[data-testid=user-name]")
    return context, tab


def test_desk_complaint_answered_and_judged_valid(browser, live_server, guide_data, screenshot):
    # the clerk registers it at the desk, assigned to SCJG at once
    context, tab = staff_tab(browser, live_server, "clerk")
    tab.goto("/staff/complaints/")
    tab.click("[data-testid=complaint-new]")
    tab.click("[data-testid=complaint-register-send]")  # empty: the browser asks for the title
    tab.fill("#c-title", "窗口工作人员态度生硬")
    tab.fill("#c-content", "办理食品经营许可时，A01窗口工作人员不解释退件原因。")
    tab.fill("#c-name", "王五")
    tab.fill("#c-phone", "12ab")
    tab.select_option("#c-rwin", "A01")
    tab.select_option("#c-dept", "SCJG")
    tab.click("[data-testid=complaint-register-send]")
    assert tab.locator("[data-testid=complaint-error]").is_visible()
    assert tab.locator(".errorlist").count() == 1
    tab.fill("#c-phone", "13900000005")
    tab.click("[data-testid=complaint-register-send]")
    number = tab.locator("[data-testid=complaint-number]").inner_text()
    assert len(tab.locator("[data-testid=complaint-code]").inner_text()) == 6
    screenshot(tab, "complaint-desk-registered")
    tab.click("[data-testid=complaint-go]")
    assert "王*" in tab.locator("[data-testid=complainant]").inner_text()  # masked for the clerk
    context.close()

    # the chief of SCJG answers
    context, tab = staff_tab(browser, live_server, "scjg-chief")
    tab.goto("/staff/complaints/")
    screenshot(tab, "complaint-worklist")
    tab.click(f"tr[data-complaint='{number}'] [data-testid=complaint-open]")
    assert "王五" in tab.locator("[data-testid=complainant]").inner_text()
    tab.fill("#an-answer", "经核实，工作人员未履行一次性告知义务，已批评教育并当面致歉。")
    tab.click("[data-testid=do-answer]")
    tab.wait_for_selector("[data-testid=complaint-status][data-status=answered]")
    context.close()

    # the supervisor judges it valid, with an accountability record
    context, tab = staff_tab(browser, live_server, "supervisor")
    tab.goto(f"/staff/complaints/{number}/")
    tab.check("[data-testid=judge-valid]")
    tab.fill("#j-reason", "经核实属实。")
    tab.check("[data-testid=judge-accountability]")
    tab.click("[data-testid=do-judge]")
    tab.wait_for_selector("[data-testid=complaint-accountability]")
    assert tab.locator("[data-testid=complaint-valid]").is_visible()
    screenshot(tab, "complaint-judged-valid")
    context.close()

    complaint = Complaint.objects.get(number=number)
    assert complaint.valid is True and complaint.status == "answered"
    assert AccountabilityRecord.objects.filter(subject_kind="complaint", subject_ref=number).count() == 1
