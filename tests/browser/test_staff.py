"""Staff pages in a real browser: sign-in, navigation by role, the catalog and calendar."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/staff/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def nav(page) -> list[str]:
    return page.eval_on_selector_all(".main-nav a[data-nav]", "els => els.map(e => e.dataset.nav)")


def test_failed_login_shows_a_message(page, guide_data, screenshot):
    login(page, "clerk", "wrong-password")
    error = page.locator("[data-testid=login-error]")
    assert error.is_visible()
    assert "正确的" in error.inner_text()
    screenshot(page, "staff-login-failed")


def test_reviewer_navigation(page, guide_data, screenshot):
    login(page, "scjg-reviewer")
    page.wait_for_selector("[data-testid=user-name]")
    keys = nav(page)
    assert keys[:2] == ["home", "catalog"]
    assert not {"calendar", "admin", "audit"} & set(keys)
    assert "市场监督管理局" in page.inner_text(".header-tools")
    screenshot(page, "staff-home-reviewer")
    # a page the reviewer may not open answers with the 403 page
    response = page.goto("/staff/calendar/")
    assert response.status == 403
    assert page.locator("[data-testid=forbidden]").is_visible()
    screenshot(page, "staff-403")


def test_centeradmin_navigation_and_logout(page, guide_data, screenshot):
    admin = guide_data.user("centeradmin")
    admin.is_staff = True
    admin.save()
    login(page, "centeradmin")
    page.wait_for_selector("[data-testid=user-name]")
    keys = nav(page)
    assert keys[:2] == ["home", "catalog"] and "calendar" in keys and "admin" in keys
    screenshot(page, "staff-home-centeradmin")
    page.click("text=退出登录")
    page.wait_for_selector("input[name=username]")
    assert "您已退出登录" in page.content()


def test_catalog_page_and_filters(page, guide_data, screenshot):
    login(page, "clerk")
    page.click(".main-nav a[data-nav=catalog]")
    page.wait_for_selector("[data-testid=catalog-ratio]")
    page.wait_for_load_state("load")  # htmx binds the filters on DOMContentLoaded
    assert page.locator("tr[data-item]").count() == 3
    # 1 - (6 + 0 + 1) / (20 + 15 + 10)
    assert page.inner_text("[data-testid=catalog-ratio]") == "84.4%"
    screenshot(page, "staff-catalog")
    page.select_option("#filter-department", "SW")
    # a function, not an expression string: Playwright evals a string in the page, which the CSP forbids
    page.wait_for_function("() => document.querySelectorAll('tr[data-item]').length === 1")
    assert page.locator("tr[data-item=SW001]").count() == 1
    assert "department=SW" in page.url  # the filter is in the address (htmx push)
    page.click("tr[data-item=SW001] a")
    page.wait_for_selector("[data-testid=item-ratio]")
    screenshot(page, "staff-item")


def test_calendar_due_date_calculator(page, guide_data, screenshot):
    login(page, "supervisor")
    page.click(".main-nav a[data-nav=calendar]")
    page.wait_for_selector("[data-testid=calendar-years]")
    page.fill("#calc-start", "2026-09-30")
    page.fill("#calc-days", "5")
    page.click("#due-form button[type=submit]")
    page.wait_for_selector("[data-testid=due-date]")
    assert page.locator("[data-testid=due-date]").inner_text() == "2026-10-13"  # domain.md §3
    screenshot(page, "staff-calendar")


def test_language_switch(page, guide_data, screenshot):
    login(page, "supervisor")
    page.wait_for_selector("[data-testid=user-name]")
    page.select_option("#language-select", "en")
    page.wait_for_selector("text=Sign out")
    assert "Workbench" in page.inner_text(".main-nav")
    screenshot(page, "staff-home-english")
