"""The Content-Security-Policy (no inline script or style) holds on the pages people use: every
page below is loaded in chromium with the policy on, and any violation — reported on the
console or as a `securitypolicyviolation` event — fails the test (issue 12 §6)."""

from __future__ import annotations

import pytest

from onewindow.core.headers import DEFAULT_POLICY
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var where = e.sourceFile + ":" + e.lineNumber;
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + where);
});
"""


@pytest.fixture
def watched(page):
    page.context.add_init_script(WATCH)
    console: list[str] = []
    page.on(
        "console",
        lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return page, console


def visit(page, console: list[str], path: str, *, ready: str = "main, #content, #swagger-ui") -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)
    assert response.headers.get("content-security-policy") == DEFAULT_POLICY, path
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    events = page.evaluate("window.__csp")
    assert events == [] and console == [], (path, events, console)


def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/staff/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-name]")


def test_staff_pages_portal_admin_and_api_docs_run_under_the_csp(
    watched, guide_data, accept_food_case, screenshot
):
    page, console = watched
    case = accept_food_case()

    # the public portal
    visit(page, console, "/")
    visit(page, console, "/items/SC001/")
    visit(page, console, "/items/SC001/print/", ready=".sheet")
    visit(page, console, "/progress/")
    visit(page, console, "/search/?q=食品")

    # staff pages: the clerk
    visit(page, console, "/staff/login/")
    login(page, "clerk")
    visit(page, console, "/staff/")
    visit(page, console, "/staff/cases/worklist/")
    visit(page, console, f"/staff/cases/{case.display_number}/")
    visit(page, console, "/staff/cases/intake/")
    screenshot(page, "csp-intake")
    # a data-autosubmit filter still submits its form without an inline handler
    visit(page, console, "/staff/cases/worklist/")
    if page.locator("[data-autosubmit]").count():
        with page.expect_navigation():
            page.locator("input[type=checkbox][data-autosubmit]").first.check()
        assert "overdue=1" in page.url
    assert page.evaluate("window.__csp") == [] and console == []

    # the supervisor's board (htmx polling)
    login(page, "supervisor")
    visit(page, console, "/staff/supervision/")
    visit(page, console, "/staff/calendar/")

    # the Django admin and the API docs (Swagger UI)
    login(page, "sysadmin")
    visit(page, console, "/admin/")
    visit(page, console, "/admin/calendar/calendaryear/")
    visit(page, console, "/api/v1/docs", ready="#swagger-ui .swagger-ui")
    screenshot(page, "csp-api-docs")
