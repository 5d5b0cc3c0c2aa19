"""Online consultation in a browser: the applicant asks from the item page on a phone (375 px),
a reviewer of the department replies in the staff queue, the applicant sees the reply."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings

from onewindow.catalog.models import ServiceItem
from onewindow.consultations.models import Consultation, FrequentQuestion
from onewindow.core import clock
from onewindow.identity.sessions import SESSION_PERSON
from tests.applicants import make_person
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def applicant_context(browser, live_server, person):
    """A phone-sized browser signed in as `person` (the portal's session, as sign-in leaves it)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_PERSON] = person.pk
    store.create()
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 375, "height": 812}
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": live_server.url}]
    )
    return context


def test_ask_reply_and_read_the_answer(browser, live_server, page, guide_data, screenshot):
    person = make_person(phone="13900000001", name="李四")
    FrequentQuestion.objects.create(
        item=ServiceItem.objects.get(code="SC001"),
        question="办理要多久？",
        answer="10个工作日。",
        published=True,
        updated_at=clock.now(),
    )
    phone = applicant_context(browser, live_server, person)
    tab = phone.new_page()
    tab.goto("/items/SC001/")
    assert tab.get_by_text("办理要多久？").is_visible()
    tab.click("[data-testid=consult-link]")
    tab.fill("#consult-subject", "营业执照复印件")
    tab.fill("#consult-body", "需要盖章吗？")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(tab, "consult-applicant-ask-375")
    tab.click("[data-testid=consult-submit]")
    tab.wait_for_selector("[data-testid=consult-thread]")
    assert tab.locator("[data-testid=consult-status]").get_attribute("data-status") == "waiting"
    consultation = Consultation.objects.get()

    # the reviewer of the department answers in the queue
    page.goto("/staff/login/")
    page.fill("input[name=username]", "scjg-reviewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-name]")
    page.goto("/staff/consultations/")
    assert page.locator(f"tr[data-consultation='{consultation.pk}']").is_visible()
    screenshot(page, "consult-staff-queue")
    page.click("[data-testid=consult-open]")
    page.fill("#consult-reply-body", "需要加盖公章。")
    page.click("[data-testid=consult-reply-send]")
    page.wait_for_selector("[data-testid=consult-status][data-status=answered]")
    screenshot(page, "consult-staff-thread")

    # the applicant sees the reply
    tab.reload()
    assert tab.get_by_text("需要加盖公章。").is_visible()
    assert tab.locator("[data-testid=consult-status]").get_attribute("data-status") == "answered"
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(tab, "consult-applicant-thread-375")
    phone.close()
