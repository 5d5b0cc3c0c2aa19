"""Leave in a browser: the only clerk of window A01 asks for a day of annual leave; the SCJG chief
cannot sign it before a stand-in is named (代岗), names one and signs; the supervisor approves."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.attendance.models import LeaveRequest
from onewindow.calendar.selectors import is_working_day
from onewindow.core import clock
from tests.factories import PASSWORD, build_org, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def leave_org(transactional_db):
    org = build_org()
    make_user(
        "solo",
        center=org.center,
        department=org.dept_a,
        roles=("window_clerk",),
        window=org.window_a,
        full_name="韩雪梅",
    )
    make_user(
        "clerk2",
        center=org.center,
        department=org.dept_a,
        roles=("window_clerk",),
        window=org.general_window,
        full_name="林晓燕",
    )
    return org


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


def next_working_day() -> dt.date:
    day = clock.today() + dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def test_a_day_of_leave_needs_a_stand_in_then_the_chief_signs_and_the_supervisor_approves(
    browser, live_server, leave_org, screenshot
):
    day = next_working_day().isoformat()
    context, tab = staff_tab(browser, live_server, "solo")
    tab.goto("/staff/attendance/leave/")
    assert tab.locator("[data-testid=leave-alone]").is_visible()
    tab.select_option("#leave-kind", "annual")
    tab.fill("#leave-from", f"{day}T08:30")
    tab.fill("#leave-until", f"{day}T17:30")
    screenshot(tab, "leave-request-form")
    tab.click("[data-testid=leave-submit]")  # no reason: the browser asks for it
    tab.fill("#leave-reason", "陪家人体检")
    tab.click("[data-testid=leave-submit]")
    tab.wait_for_selector("[data-testid=leave-chain]")
    assert tab.locator("[data-testid=leave-stand-in-needed]").is_visible()
    screenshot(tab, "leave-request-sent")
    context.close()

    context, tab = staff_tab(browser, live_server, "scjg-chief")
    tab.goto("/staff/attendance/leave/worklist/")
    assert tab.locator("[data-testid=leave-stand-in-state]").get_attribute("data-state") == "required"
    screenshot(tab, "leave-worklist-chief")
    tab.click("[data-testid=leave-open]")
    tab.click("[data-testid=leave-approve]")
    error = tab.locator("[data-testid=leave-error]")
    assert "代岗" in error.inner_text()
    screenshot(tab, "leave-stand-in-required")
    tab.select_option("#leave-stand-in", label="林晓燕 (clerk2 · Z01)")
    tab.click("[data-testid=leave-name-stand-in]")
    assert "林晓燕" in tab.locator("[data-testid=leave-stand-in]").inner_text()
    tab.fill("#leave-note", "同意，已安排林晓燕代岗。")
    tab.click("[data-testid=leave-approve]")
    tab.wait_for_selector("[data-decision=approved]")
    context.close()

    context, tab = staff_tab(browser, live_server, "supervisor")
    tab.goto("/staff/attendance/leave/worklist/")
    tab.click("[data-testid=leave-open]")
    tab.click("[data-testid=leave-approve]")
    tab.wait_for_selector("[data-status=approved]")
    screenshot(tab, "leave-approved")
    context.close()
    leave = LeaveRequest.objects.get()
    assert (leave.status, leave.stand_in.username) == ("approved", "clerk2")
    assert list(leave.decisions.values_list("decision", flat=True)) == ["stand_in", "approved", "approved"]
