"""The ticket dispenser in a real browser: a portrait touch screen (1080 x 1920) signed in as the
kiosk account; the applicant taps a business and gets the ticket page to print (80 mm)."""

from __future__ import annotations

import pytest

from onewindow.appointments.models import BusinessType
from onewindow.hall.models import Ticket
from tests.factories import PASSWORD, build_org, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def hall_org(transactional_db):  # type: ignore[no-untyped-def]
    org = build_org()
    a = BusinessType.objects.create(center=org.center, letter="A", name="市场监管业务", icon="证照")
    a.windows.add(org.window_a, org.general_window)
    b = BusinessType.objects.create(center=org.center, letter="B", name="税务业务")
    b.windows.add(org.general_window)
    BusinessType.objects.create(center=org.center, letter="C", name="社保医保业务")
    make_user("kiosk", center=org.center, roles=("ticket_dispenser",))
    return org


@pytest.mark.parametrize(("width", "height", "name"), [(1080, 1920, "portrait"), (1920, 1080, "landscape")])
def test_take_a_ticket_and_see_the_print_page(
    browser, live_server, hall_org, screenshot, width, height, name
):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": width, "height": height}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/hall/kiosk/")
        page.fill("input[name=username]", "kiosk")  # the staff login, next=/hall/kiosk/
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=kiosk-business-A]")
        screenshot(page, f"hall-kiosk-{name}", full_page=False)
        page.click("[data-testid=kiosk-priority-elderly]")
        page.fill("[data-testid=kiosk-phone]", "13800138000")
        page.click("[data-testid=kiosk-business-A]")
        page.wait_for_selector("[data-testid=ticket-number]")
        assert page.inner_text("[data-testid=ticket-number]") == "VA001"
        assert "市场监管业务" in page.inner_text("[data-testid=ticket-business]")
        assert page.locator("[data-testid=ticket-qr] svg").count() == 1
        screenshot(page, f"hall-kiosk-ticket-{name}", full_page=False)
        page.emulate_media(media="print")
        screenshot(page, f"hall-kiosk-ticket-print-{name}")
        assert not page.locator("[data-testid=ticket-void]").is_visible()
        page.emulate_media(media="screen")
        ticket = Ticket.objects.get()
        assert ticket.prints == 1 and ticket.priority_reason == "elderly"
        # the printer jammed: void it, back to the buttons with a message
        page.click("[data-testid=ticket-void]")
        page.wait_for_selector("[data-testid=kiosk-voided]")
        ticket.refresh_from_db()
        assert ticket.status == Ticket.Status.VOID
        # a wrong phone number says what to fix
        page.fill("[data-testid=kiosk-phone]", "12345")
        page.click("[data-testid=kiosk-business-B]")
        page.wait_for_selector("[data-testid=kiosk-error]")
        screenshot(page, f"hall-kiosk-error-{name}", full_page=False)
    finally:
        context.close()
