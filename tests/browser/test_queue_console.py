"""The clerk's window console in a real browser: open the window, call the next ticket (the
priority one first), start, finish; the FIFO guard's refusal shows as a message; a clerk
without a window is told so."""

from __future__ import annotations

import pytest

from onewindow.appointments.models import BusinessType
from onewindow.hall.models import Ticket
from onewindow.hall.tickets import ticket_issue
from tests.factories import PASSWORD, build_org, make_user

pytestmark = pytest.mark.browser


def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/staff/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-name]")


def test_call_start_finish(page, transactional_db, screenshot) -> None:
    org = build_org()
    business = BusinessType.objects.create(center=org.center, letter="A", name="市场监管业务")
    business.windows.add(org.general_window)
    kiosk = make_user("kiosk", center=org.center, roles=("ticket_dispenser",))
    for priority in (False, False, True):
        ticket_issue(business=business, actor=kiosk, priority=priority)
    make_user("nowindow", center=org.center, roles=("window_clerk",))

    login(page, "clerk")
    page.goto("/staff/hall/console/")
    page.click("[data-testid=open-window]")
    page.wait_for_selector("[data-testid=call-next]")
    screenshot(page, "queue-console-open")
    # the FIFO guard: A002 while A001 waits
    page.locator("tr[data-ticket=A002] button").click()
    page.wait_for_selector(".notice-error")
    assert "A001" in page.inner_text(".notice-error")

    page.click("[data-testid=call-next]")
    page.wait_for_selector("[data-testid=current-number]")
    assert page.inner_text("[data-testid=current-number]") == "VA003"
    screenshot(page, "queue-console-called")
    page.click("[data-testid=start]")
    page.wait_for_selector("[data-testid=current-status]:has-text('办理中')")
    page.click("[data-testid=finish]")
    page.wait_for_selector("[data-testid=no-current]")
    assert Ticket.objects.get(number="VA003").status == Ticket.Status.SERVED
    page.click("[data-testid=call-next]")
    page.wait_for_selector("[data-testid=current-number]")
    assert page.inner_text("[data-testid=current-number]") == "A001"
    assert page.get_attribute("[data-testid=intake]", "href").endswith("?ticket=A001")
    screenshot(page, "queue-console-next")

    login(page, "nowindow")
    page.goto("/staff/hall/console/")
    page.wait_for_selector("[data-testid=no-window]")
