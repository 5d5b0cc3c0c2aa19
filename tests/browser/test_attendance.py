"""Attendance in a real browser: the clerk clocks in (签到) on the staff page — outside the
hours the page asks for a reason first — and the supervisor sees the clerk's row in the
center's daily table, with the history of the last working days. The live server reads the real
clock, so the test works at any hour: it gives a reason whenever the page asks for one."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.attendance.models import ClockRecord
from onewindow.calendar.selectors import is_working_day
from onewindow.core import clock
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def staff_tab(browser, live_server, username):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1440, "height": 900}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.goto("/staff/login/")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_selector("[data-testid=user-name]")
    return context, tab


def _history(clerk) -> None:
    """Three finished working days of this month before today: normal, late, no clock out."""
    today = clock.today()
    day, done = today - dt.timedelta(days=1), []
    while len(done) < 3 and day.month == today.month:
        if is_working_day(day):
            done.append(day)
        day -= dt.timedelta(days=1)
    for k, d in enumerate(done):
        times = [("in", dt.time(8, 40)), ("out", dt.time(17, 20))]
        if k == 1:
            times[0] = ("in", dt.time(9, 25))
        if k == 2:
            times = times[:1]
        for kind, t in times:
            at = dt.datetime.combine(d, t, tzinfo=clock.zone())
            ClockRecord.objects.create(
                user=clerk,
                center_id=clerk.center_id,
                window=clerk.window,
                date=d,
                at=at,
                kind=kind,
                method="fingerprint",
                abnormal=kind == "in" and t > dt.time(9),
                recorded_at=at,
            )


def test_clock_in_then_the_center_table(browser, live_server, guide_data, screenshot):
    clerk = guide_data.user("clerk")
    _history(clerk)
    context, tab = staff_tab(browser, live_server, "clerk")
    try:
        tab.click("nav >> text=我的考勤与请假")
        tab.wait_for_selector("[data-testid=clock-form]")
        tab.click("[data-testid=clock-in]")
        if tab.locator("[data-testid=clock-error]").count():
            assert tab.locator(".errorlist").count() == 1  # outside the hours: say why
            screenshot(tab, "attendance-clock-reason")
            tab.fill("#clock-reason", "浏览器测试：非工作时间签到")
            tab.click("[data-testid=clock-in]")
        tab.wait_for_selector(".messages")
        assert "签到" in tab.inner_text(".messages")
        assert tab.locator("[data-testid=my-records] tbody tr").first.inner_text().count(":") >= 1
        screenshot(tab, "attendance-mine")
    finally:
        context.close()
    assert ClockRecord.objects.filter(user=clerk, method="password").count() == 1
    context, tab = staff_tab(browser, live_server, "supervisor")
    try:
        tab.click('nav >> text="考勤"')
        tab.wait_for_selector("[data-testid=attendance-table]")
        row = tab.locator("[data-testid=attendance-table] tr[data-person=clerk]")
        assert row.count() == 1
        if clock.today().day > 5:  # the history lies in this month
            assert row.locator("td.att-late").count() >= 1 or row.locator("td.att-incomplete").count() >= 1
        screenshot(tab, "attendance-center")
    finally:
        context.close()


def test_patrol_terminals_and_rules_pages(browser, live_server, guide_data, screenshot):
    context, tab = staff_tab(browser, live_server, "supervisor")
    try:
        tab.click('nav >> text="值班巡查"')
        tab.wait_for_selector("[data-testid=patrol-form]")
        tab.select_option("#p-person", label="clerk (clerk)")
        tab.select_option("#p-finding", "discipline")
        tab.check("input[name=violation]")
        tab.click("[data-testid=patrol-form] button[type=submit]")
        assert tab.locator(".errorlist").count() == 1  # a violation needs a note
        tab.fill("#p-note", "窗口内玩手机")
        tab.click("[data-testid=patrol-form] button[type=submit]")
        tab.wait_for_selector(".messages")
        assert "窗口内玩手机" in tab.inner_text("[data-testid=patrol-log]")
        screenshot(tab, "attendance-patrol")
        tab.goto("/staff/attendance/manual/")
        screenshot(tab, "attendance-manual")
    finally:
        context.close()
    context, tab = staff_tab(browser, live_server, "centeradmin")
    try:
        tab.goto("/staff/attendance/terminals/")
        tab.fill("#t-name", "大厅一楼考勤机")
        tab.click("[data-testid=terminal-create] button[type=submit]")
        key = tab.inner_text("[data-testid=terminal-key]")
        assert key.startswith("owt_")
        screenshot(tab, "attendance-terminals")
        tab.click("[data-testid=attendance-tabs] >> text=考勤规则")
        tab.wait_for_selector("[data-testid=rule-form]")
        screenshot(tab, "attendance-rules")
    finally:
        context.close()
