"""The supervisor's hall pages in a real browser on the demo hall (20 working days of tickets and
the morning so far): the live overview with its windows and queues, refreshed by htmx under the
CSP; the queue figures of the month with their tables; the notices admin with a validation
message. Screenshots in var/screenshots/queue-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from onewindow.demo import hall, online_appointments
from onewindow.demo.data.accounts import DEMO_PASSWORD
from onewindow.demo.data.org import DEMO_CENTER_CODE
from onewindow.demo.loader import load_demo
from onewindow.org.models import Center

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 12, 8, 2, 40, tzinfo=dt.UTC)  # Tuesday 10:40 in Shanghai


def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/staff/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-name]")


def load_hall() -> None:
    load_demo(history=False)
    center = Center.objects.get(code=DEMO_CENTER_CODE)
    online_appointments.load(center)
    hall.load(center)


def test_the_overview_and_the_figures_render_with_data(page, screenshot, settings) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    with time_machine.travel(NOW, tick=True):
        load_hall()
        login_and_look(page, screenshot, errors)


def login_and_look(page, screenshot, errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    login(page, "groupleader")
    page.goto("/staff/hall-supervision/")
    overview = page.locator("[data-testid=overview]")
    assert overview.get_attribute("hx-trigger") == "every 15s"
    assert int(page.locator("[data-testid=waiting-now]").inner_text()) > 0
    windows = page.locator("table[data-testid=windows] tbody tr")
    assert windows.count() >= 30
    assert "Z01" in page.locator("[data-testid=window-Z01]").inner_text()
    screenshot(page, "queue-overview")
    # the live part comes back through htmx without a reload
    page.evaluate("htmx.trigger('#queue-overview', 'every')")
    page.wait_for_timeout(300)

    page.goto("/staff/hall-supervision/figures/?from=2026-11-10&to=2026-12-08")
    assert int(page.locator("[data-testid=issued]").inner_text()) > 3000
    assert page.locator("table[data-testid=by-business] tbody tr").count() >= 10
    assert page.locator("table[data-testid=utilisation] tbody tr").count() >= 30
    assert page.locator("table[data-testid=clerks] tbody tr").count() >= 30
    screenshot(page, "queue-figures-month")
    page.select_option("#qf-business", label="Z 综合业务（一窗受理）")
    page.click("[data-testid=figure-filters] button[type=submit]")
    page.wait_for_url("**business=**")
    screenshot(page, "queue-figures-general-business")
    with page.expect_download() as download:
        page.click("[data-testid=export]")
    assert download.value.suggested_filename.startswith("queue-figures-")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def test_the_notices_admin(page, screenshot, settings) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=True):
        load_hall()
        login(page, "centeradmin")
        page.goto("/staff/hall-supervision/notices/")
        assert page.locator("[data-testid=notice]").count() == 4
        page.fill("#notice-text", "")
        page.fill("#notice-starts", "2026-12-10")
        page.fill("#notice-ends", "2026-12-09")
        page.click("[data-testid=notice-form] button[type=submit]")
        assert page.locator("[data-testid=error-text]").is_visible()
        assert page.locator("[data-testid=error-ends_on]").is_visible()
        screenshot(page, "queue-notices-invalid")
        page.fill("#notice-text", "12 月 10 日 15:00—16:00 系统升级，期间暂停取号。")
        page.fill("#notice-ends", "2026-12-10")
        page.click("[data-testid=notice-form] button[type=submit]")
        page.wait_for_selector(".notice-ok")
        assert page.locator("[data-testid=notice]").count() == 5
        screenshot(page, "queue-notices")
