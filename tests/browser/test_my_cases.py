"""My cases (我的办件) in a real browser: a signed-in citizen finds their accepted online case
and downloads its acceptance notice as PDF; at desktop width and on a 375 px phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from onewindow.catalog.models import ServiceItemVersion
from onewindow.identity.sessions import SESSION_PERSON
from tests.applicants import make_person
from tests.online.helpers import accept_online, submit_online

pytestmark = pytest.mark.browser


def signed_in(page, live_server, person) -> None:
    """A portal session holding the person, its cookie in the browser's context."""
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_PERSON] = person.pk
    store.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": live_server.url}]
    )


def test_a_citizen_sees_the_accepted_case_and_downloads_the_notice(
    page, live_server, guide_data, screenshot, tmp_path
):
    person = make_person(phone="13912345678", name="王小明")
    food = ServiceItemVersion.objects.get(item__code="SC001", status=ServiceItemVersion.Status.PUBLISHED)
    app, case = submit_online(guide_data, food, person)
    case = accept_online(guide_data, app, case)
    notice = case.notices.get()
    signed_in(page, live_server, person)

    page.goto("/")
    page.click("nav.main-nav >> text=我的办件")
    page.wait_for_selector("[data-testid=my-case-list]")
    assert page.locator(".my-tab.active").get_attribute("data-tab") == "in_progress"
    row = page.locator(f"[data-testid=my-case][data-number='{case.number}']")
    assert "食品经营许可" in row.inner_text()
    screenshot(page, "portal-my-cases")

    row.locator("a").click()
    page.wait_for_selector("[data-testid=my-case-notices]")
    assert page.inner_text("[data-testid=my-case-number]") == case.number
    assert "受理通知书" in page.inner_text("[data-testid=my-case-notices]")
    screenshot(page, "portal-my-case")

    with page.expect_download() as waiting:
        page.click("[data-testid=my-notice-pdf]")
    download = waiting.value
    assert download.suggested_filename == f"{notice.number}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))
    assert Path(saved).read_bytes().startswith(b"%PDF")

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/my/")
    page.wait_for_selector("[data-testid=my-case-list]")
    tabs = page.locator("[data-testid=my-tabs]").bounding_box()
    assert tabs is not None and tabs["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    screenshot(page, "portal-my-cases-375")
    page.goto(f"/my/cases/{case.number}/")
    page.wait_for_selector("[data-testid=my-case-notices]")
    screenshot(page, "portal-my-case-375")

    page.click("[data-testid=my-case-withdraw]")
    page.wait_for_selector("[data-testid=withdraw-form]")
    page.fill("#withdraw-reason", "材料需要重新准备")
    screenshot(page, "portal-my-case-withdraw-375")
    page.click("[data-testid=withdraw-confirm]")
    page.wait_for_selector("[data-testid=flash]")
    assert page.locator("[data-testid=my-case-status]").get_attribute("data-status") == "withdrawn"
    assert page.locator("[data-testid=my-case-withdraw]").count() == 0
