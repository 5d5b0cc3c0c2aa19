"""The hall from the door to the window, in a real browser (issue 16 §7): an applicant takes a
ticket at the dispenser, the clerk calls it at the window console, the hall screen shows it
within a second, the clerk starts an intake from the ticket (the case is linked to it) and
finishes; the wait page from the ticket's QR code follows along."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from onewindow.appointments.models import BusinessType
from onewindow.catalog.models import Material, ServiceItem
from onewindow.feedback.models import ServiceOccasion
from onewindow.hall.models import Ticket, TicketEvent
from onewindow.hall.waitlink import wait_token
from tests.browser.test_case_flow import ID_NUMBER, PHONE, login
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_a_ticket_from_the_dispenser_to_a_linked_case(browser, live_server, page, guide_data, screenshot):
    business = BusinessType.objects.create(center=guide_data.center, letter="A", name="市场监管业务")
    business.windows.add(guide_data.general_window, guide_data.window_a)
    business.items.add(ServiceItem.objects.get(center=guide_data.center, code="SC001"))
    make_user("kiosk", center=guide_data.center, roles=("ticket_dispenser",))
    contexts = []

    def new_page(width: int, height: int):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": width, "height": height}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    try:
        # the applicant at the dispenser (a portrait touch screen signed in as `kiosk`)
        kiosk = new_page(1080, 1920)
        kiosk.goto("/hall/kiosk/")
        kiosk.fill("input[name=username]", "kiosk")
        kiosk.fill("input[name=password]", PASSWORD)
        kiosk.click("button[type=submit]")
        kiosk.click("[data-testid=kiosk-business-A]")
        kiosk.wait_for_selector("[data-testid=ticket-number]")
        assert kiosk.inner_text("[data-testid=ticket-number]") == "A001"
        screenshot(kiosk, "hall-flow-ticket", full_page=False)
        ticket = Ticket.objects.get(number="A001")

        # the hall screen and the applicant's phone (the QR code's wait page)
        screen = new_page(1920, 1080)
        screen.goto(f"/hall/screen/?center={guide_data.center.code}")
        screen.wait_for_selector("[data-testid=hall-screen]")
        phone = new_page(390, 844)
        phone.goto(f"/hall/wait/{wait_token(ticket)}/")
        expect(phone.locator("[data-testid=wait-number]")).to_have_text("A001")
        expect(phone.locator("[data-testid=wait-ahead]")).to_have_text("0")
        time.sleep(1)  # the screen polls: let it settle on the current version

        # the clerk at Z01 opens the window and calls
        login(page, "clerk")
        page.goto("/staff/hall/console/")
        page.click("[data-testid=open-window]")
        page.click("[data-testid=call-next]")
        page.wait_for_selector("[data-testid=current-number]")
        started = time.monotonic()
        expect(screen.locator("[data-testid=screen-calls]")).to_contain_text("A001", timeout=3000)
        elapsed = time.monotonic() - started
        assert elapsed < 1.5, f"the hall screen showed the call after {elapsed:.2f} s"
        screenshot(screen, "hall-flow-screen", full_page=False)
        expect(phone.locator("[data-testid=wait-status]")).to_contain_text("Z01", timeout=10_000)
        screenshot(phone, "hall-flow-wait-called")

        # 开始受理: the intake page remembers the ticket; the accepted case is linked to it
        page.click("[data-testid=intake]")
        page.goto("/staff/cases/intake/?item=SC001")
        page.fill("#id_applicant_name", "王小明")
        page.fill("#id_applicant_id_number", ID_NUMBER)
        page.fill("#id_applicant_phone", PHONE)
        for material in Material.objects.filter(version__item__code="SC001").order_by("position"):
            page.check(f"input[name=m{material.pk}_received]")
        page.click("[data-testid=do-accept]")
        page.wait_for_selector("[data-testid=notice]")
        number = page.inner_text("[data-testid=notice-case-number]").strip()
        ticket.refresh_from_db()
        assert [case.number for case in ticket.cases.all()] == [number]
        assert ticket.events.filter(kind=TicketEvent.Kind.CASE_LINKED).count() == 1

        # back at the console: start and finish the service
        page.goto("/staff/hall/console/")
        page.click("[data-testid=start]")
        page.wait_for_selector("[data-testid=current-status]:has-text('办理中')")
        expect(phone.locator("[data-testid=wait-status]")).to_contain_text("Z01", timeout=10_000)
        page.click("[data-testid=finish]")
        page.wait_for_selector("[data-testid=no-current]")
        screenshot(page, "hall-flow-console-finished")
        expect(phone.locator("[data-testid=wait-status]")).to_contain_text("办理完毕", timeout=10_000)
        screenshot(phone, "hall-flow-wait-done")

        ticket.refresh_from_db()
        assert ticket.status == Ticket.Status.SERVED
        assert ticket.wait_seconds is not None and ticket.service_seconds is not None
        # the case's own occasion (accepted) is the one to evaluate: no second one for the visit
        assert not ServiceOccasion.objects.filter(
            ticket="A001", kind=ServiceOccasion.Kind.WINDOW_VISIT
        ).exists()
    finally:
        for context in contexts:
            context.close()
