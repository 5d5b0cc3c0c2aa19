"""The supervisor's board in a real browser: a case accepted on a Monday is past its deadline
three weeks later; after the sweep ran, the supervisor sees it red on the board and in the
flagged list, filters the list, and drills down to the case page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from onewindow.supervision.sweep import sweep
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

ACCEPTED = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai
LATE = dt.datetime(2026, 3, 24, 2, 0, tzinfo=dt.UTC)  # past the 6-working-day promise


def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/staff/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-name]")


def test_the_supervisor_sees_a_red_case_and_drills_down(page, guide_data, accept_food_case, screenshot):
    with time_machine.travel(ACCEPTED, tick=True) as traveller:
        case = accept_food_case()
        traveller.move_to(LATE)
        counts = sweep().counts
        assert counts["case_red"] == 1

        login(page, "supervisor")
        page.goto("/staff/supervision/")
        board = page.locator("[data-testid=board]")
        assert board.get_attribute("hx-trigger") == "every 30s"
        assert page.locator("[data-testid=total-red]").inner_text().strip() == "1"
        red = page.locator("table[data-testid=flags] tr[data-flag-level=red]")
        assert red.count() >= 1
        assert case.display_number in red.first.inner_text()
        screenshot(page, "supervision-board")

        # the filters narrow the list: the other department has nothing flagged
        page.select_option("#flag-department", "SW")
        page.click("#flags button[type=submit]")
        page.wait_for_url("**department=SW**")
        assert page.locator("table[data-testid=flags] tr[data-flag-level]").count() == 0
        page.select_option("#flag-department", "SCJG")
        page.select_option("#id_level", "red")
        page.click("#flags button[type=submit]")
        page.wait_for_url("**level=red**")

        # drill down to the case page: the red card and the supervisor's order link
        page.locator("table[data-testid=flags] a[data-testid=flag-case]").first.click()
        page.wait_for_selector("[data-testid=case-number]")
        assert page.locator("[data-testid=case-number]").inner_text().strip() == case.display_number
        assert page.locator("[data-testid=case-level-red]").is_visible()
        screenshot(page, "supervision-drill-down-case")
