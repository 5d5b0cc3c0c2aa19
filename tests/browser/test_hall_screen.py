"""The hall screen, a window's display and the wait page in a real browser (1920 x 1080 and the
portrait 1080 x 1920): a call written with hall.board.announce shows within a second, two calls
in a row are both spoken in order (the page's voice queue, data-voice-log), the page recovers
after a network loss, and the wait page follows its ticket's status."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from onewindow.appointments.models import BusinessType
from onewindow.core import clock
from onewindow.hall.board import announce
from onewindow.hall.models import Announcement, HallNotice, Ticket, WindowState
from onewindow.hall.tickets import ticket_issue
from onewindow.hall.waitlink import wait_token
from tests.factories import build_org, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def hall_org(transactional_db):  # type: ignore[no-untyped-def]
    org = build_org()
    a = BusinessType.objects.create(center=org.center, letter="A", name="市场监管业务")
    a.windows.add(org.window_a, org.general_window)
    BusinessType.objects.create(center=org.center, letter="B", name="税务业务")
    kiosk = make_user("kiosk", center=org.center, roles=("ticket_dispenser",))
    org.tickets = [ticket_issue(business=a, actor=kiosk) for _ in range(4)]  # type: ignore[attr-defined]
    HallNotice.objects.create(
        center=org.center, text="今日16:30停止取号，请合理安排时间。", created_at=clock.now()
    )
    WindowState.objects.create(window=org.window_a, status=WindowState.Status.AWAY, message="去档案室取件")
    return org


def called(org, ticket: Ticket, window) -> Announcement:  # type: ignore[no-untyped-def]
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Ticket.Status.CALLED, window=window, called_at=clock.now()
    )
    WindowState.objects.update_or_create(
        window=window, defaults={"status": WindowState.Status.OPEN, "current": ticket, "message": ""}
    )
    return announce(kind=Announcement.Kind.CALL, window=window, ticket=ticket)


def open_page(browser, live_server, url: str, width: int = 1920, height: int = 1080):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": width, "height": height}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(url)
    return context, page


def test_a_call_shows_within_a_second_and_two_calls_are_spoken_in_order(
    browser, live_server, hall_org, screenshot
):
    context, page = open_page(browser, live_server, "/hall/screen/?center=DEMO")
    try:
        page.wait_for_selector("[data-testid=hall-screen]")
        assert "今日16:30停止取号" in page.inner_text("[data-testid=screen-notices]")
        assert "去档案室取件" in page.inner_text("[data-testid=screen-windows]")
        time.sleep(1)  # the page polls: let it settle on the current version
        first = called(hall_org, hall_org.tickets[0], hall_org.general_window)
        started = time.monotonic()
        expect(page.locator("[data-testid=screen-calls]")).to_contain_text("A001", timeout=3000)
        elapsed = time.monotonic() - started
        assert elapsed < 1.0, f"the call showed after {elapsed:.2f} s"
        second = called(hall_org, hall_org.tickets[1], hall_org.window_a)
        expect(page.locator("[data-testid=screen-calls]")).to_contain_text("A002", timeout=3000)
        screenshot(page, "hall-screen", full_page=False)
        # both are queued; a browser that refuses to play before a gesture shows the button
        body = page.locator("body")
        deadline = time.monotonic() + 10
        while "start:" not in (body.get_attribute("data-voice-log") or "") and time.monotonic() < deadline:
            if page.locator("[data-testid=screen-unlock]").is_visible():
                break
            page.wait_for_timeout(100)
        if page.locator("[data-testid=screen-unlock]").is_visible():
            screenshot(page, "hall-screen-voice-button", full_page=False)
            page.click("[data-testid=screen-unlock]")
        expect(body).to_have_attribute("data-voice-log", re.compile(f"end:{second.pk}"), timeout=60_000)
        log = page.get_attribute("body", "data-voice-log")
        assert log == f"start:{first.pk} end:{first.pk} start:{second.pk} end:{second.pk}"
        assert page.get_attribute("body", "data-voice-queue") == "0"
    finally:
        context.close()


def test_the_screen_recovers_after_a_network_loss(browser, live_server, hall_org, screenshot):
    context, page = open_page(browser, live_server, "/hall/screen/?center=DEMO&layout=portrait", 1080, 1920)
    try:
        page.wait_for_selector("[data-testid=hall-screen]")
        context.set_offline(True)
        page.wait_for_selector("[data-testid=screen-offline]", state="visible", timeout=5000)
        called(hall_org, hall_org.tickets[0], hall_org.general_window)
        context.set_offline(False)
        page.wait_for_selector("[data-testid=screen-offline]", state="hidden", timeout=10_000)
        expect(page.locator("[data-testid=screen-calls]")).to_contain_text("A001", timeout=5000)
        screenshot(page, "hall-screen-portrait", full_page=False)
    finally:
        context.close()


def test_window_display_and_wait_page_follow_the_ticket(browser, live_server, hall_org, screenshot):
    ticket = hall_org.tickets[2]
    context, page = open_page(browser, live_server, f"/hall/wait/{wait_token(ticket)}/", 390, 844)
    display_context, display = open_page(browser, live_server, "/hall/window/Z01/", 1280, 720)
    try:
        assert page.inner_text("[data-testid=wait-number]") == "A003"
        assert page.inner_text("[data-testid=wait-ahead]") == "2"
        assert "排队等候中" in page.inner_text("[data-testid=wait-status]")
        screenshot(page, "hall-wait-waiting")
        called(hall_org, ticket, hall_org.general_window)
        expect(page.locator("body")).to_have_attribute("data-status", "called", timeout=15_000)
        assert "Z01" in page.inner_text("[data-testid=wait-status]")
        screenshot(page, "hall-wait-called")
        expect(display.locator("[data-testid=window-current]")).to_have_text("A003", timeout=5000)
        screenshot(display, "hall-window-display", full_page=False)
    finally:
        context.close()
        display_context.close()


# Playwright's chromium allows sound without a gesture; this makes it refuse like a desktop browser
REFUSE_UNTIL_CLICKED = """
(() => {
  let allowed = false;
  document.addEventListener("click", () => { allowed = true; }, true);
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (!allowed) { return Promise.reject(new DOMException("no gesture", "NotAllowedError")); }
    return play.call(this);
  };
})();
"""


def test_refused_sound_shows_the_button_and_keeps_the_queue(browser, live_server, hall_org, screenshot):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1920, "height": 1080}
    )
    context.set_default_timeout(15_000)
    context.add_init_script(REFUSE_UNTIL_CLICKED)
    page = context.new_page()
    try:
        page.goto("/hall/screen/?center=DEMO")
        page.wait_for_selector("[data-testid=hall-screen]")
        time.sleep(1)
        first = called(hall_org, hall_org.tickets[0], hall_org.general_window)
        second = called(hall_org, hall_org.tickets[1], hall_org.window_a)
        unlock = page.locator("[data-testid=screen-unlock]")
        expect(unlock).to_be_visible(timeout=5000)
        expect(page.locator("body")).to_have_attribute("data-voice-queue", "2")
        screenshot(page, "hall-screen-voice-button", full_page=False)
        unlock.click()
        expect(unlock).to_be_hidden()
        body = page.locator("body")
        expect(body).to_have_attribute("data-voice-log", re.compile(f"end:{second.pk}$"), timeout=60_000)
        assert (
            body.get_attribute("data-voice-log")
            == f"start:{first.pk} end:{first.pk} start:{second.pk} end:{second.pk}"
        )
    finally:
        context.close()
