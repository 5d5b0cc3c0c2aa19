"""An applicant's account in a real browser (issue 14 §1, 3, 7): sign in with a code read from
the outbox, fill in the profile, register an enterprise, authorise an agent; the agent signs in
and switches to acting for the enterprise; the elderly mode and the header at 375 px."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.core import clock
from onewindow.identity.models import AgentAuthorization, Enterprise, Person
from onewindow.identity.tests.helpers import last_code
from onewindow.notifications.defaults import ensure_default_templates
from onewindow.notifications.models import MessageTemplate
from tests.applicants import resident_id, uscc

pytestmark = pytest.mark.browser

REP = "13900000091"
AGENT = "13900000092"


def _sign_in(page, phone: str) -> None:
    page.goto("/account/signin/")
    page.fill("#signin-phone", phone)
    page.click("[data-testid=code-send]")
    page.wait_for_selector("[data-testid=code-sent]")
    page.fill("#signin-code", last_code(phone))
    page.click("[data-testid=code-submit]")
    page.wait_for_selector("[data-testid=account-acting]")


def test_account_enterprise_agent_and_acting_for(page, guide_data, screenshot):
    ensure_default_templates(MessageTemplate)  # the browser tests' database is emptied between tests
    _sign_in(page, REP)
    assert "139****0091" in page.inner_text("[data-testid=header-applicant]")
    screenshot(page, "applicant-account-new")

    page.fill("#profile-name", "李华")
    page.fill("#profile-id-number", resident_id("11010819780621402"))
    page.click("[data-testid=profile-form] button[type=submit]")
    page.wait_for_selector("[data-testid=account-message]")
    assert Person.objects.get(phone=REP).name == "李华"

    code = uscc("91110108MA01BRWX1")
    page.fill("#enterprise-name", "示例科技有限公司")
    page.fill("#enterprise-uscc", code)
    page.click("[data-testid=enterprise-form] button[type=submit]")
    page.wait_for_selector("[data-testid=agent-form]")
    enterprise = Enterprise.objects.get(uscc=code)

    until = clock.today() + dt.timedelta(days=90)
    form = "[data-testid=agent-form]"
    page.fill(f"{form} input[name=phone]", AGENT)
    page.fill(f"{form} input[name=valid_until]", until.isoformat())
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("[data-testid=agents-table]")
    assert "139****0092" in page.inner_text("[data-testid=agents-table]")
    assert AgentAuthorization.objects.get(enterprise=enterprise).valid_until == until
    screenshot(page, "applicant-account-desktop")

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    screenshot(page, "applicant-account-375")
    # the header fits the phone's width: nothing scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.click("button.link-button:has-text('退出')")
    page.wait_for_selector("a.applicant-link")

    # the agent signs in and acts for the enterprise through the header's selector
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, AGENT)
    assert page.inner_text("[data-testid=account-acting]") == "以个人身份办事"
    page.select_option("#act-for-select", str(enterprise.pk))  # submits by itself (data-autosubmit)
    page.wait_for_selector("[data-testid=account-acting]:has-text('示例科技有限公司')")
    assert "示例科技有限公司" in page.inner_text("[data-testid=header-applicant]")
    screenshot(page, "applicant-agent-acting")


def test_elderly_mode_at_375_px(page, guide_data, screenshot):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "portal-home-375")
    page.click("[data-testid=elderly-toggle]")
    page.wait_for_selector("body.elderly")
    assert page.url.endswith("/")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 20
    toggle = page.locator("[data-testid=elderly-toggle]").bounding_box()
    height = toggle["height"] if toggle else 0
    assert height >= 40
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "portal-home-375-elderly")
    page.click("[data-testid=elderly-toggle]")
    page.wait_for_selector("body:not(.elderly)")
