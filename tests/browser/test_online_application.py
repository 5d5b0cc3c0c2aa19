"""Applying online (网上申报) in a real browser (issue 14 §2): a signed-in citizen applies for a
promised item (承诺件) with uploads, the department pre-reviews and returns it with a correction
list, the citizen replaces the file and resubmits, the department passes it, and the citizen
sees the accepted case and its acceptance notice; an enterprise agent applies on behalf of an
enterprise. Screenshots at desktop width and at 375 px.

The first citizen signs in with an SMS code read from the outbox, as a citizen does, and at the
end downloads the acceptance notice as PDF from "my cases"; the enterprise agent's session is
made directly (SessionStore holding the person, its cookie added to the browser context). The
citizen and the clerk use separate browser contexts (each its own session cookie)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from onewindow.cases.versions import clear_cache
from onewindow.catalog.models import Material, ServiceItemVersion
from onewindow.identity.sessions import SESSION_ENTERPRISE, SESSION_PERSON
from onewindow.identity.tests.helpers import last_code
from onewindow.notifications.defaults import ensure_default_templates
from onewindow.notifications.models import MessageTemplate
from onewindow.online.models import OnlineApplication
from tests.applicants import make_enterprise, make_person, resident_id

from .test_case_flow import login

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _citizen(browser, live_server, person, enterprise=None, width: int = 1280):
    session = SessionStore()
    session[SESSION_PERSON] = person.pk
    if enterprise is not None:
        session[SESSION_ENTERPRISE] = enterprise.pk
    session.save()
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(15_000)
    host = live_server.url.split("://", 1)[1].split(":")[0]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "domain": host, "path": "/"}]
    )
    return context, context.new_page()


def _signed_in_with_a_code(browser, live_server, phone: str):
    """A citizen who signs in on the sign-in page with the code the outbox holds for them."""
    ensure_default_templates(MessageTemplate)  # the browser tests' database is emptied between tests
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/account/signin/")
    page.fill("#signin-phone", phone)
    page.click("[data-testid=code-send]")
    page.wait_for_selector("[data-testid=code-sent]")
    page.fill("#signin-code", last_code(phone))
    page.click("[data-testid=code-submit]")
    page.wait_for_selector("[data-testid=account-acting]")
    return context, page


def _scan(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(PDF)
    return str(path)


def _upload(page, material: Material, path: str) -> None:
    row = page.locator(f"[data-testid=material-{material.pk}]")
    row.locator("input[type=file]").set_input_files(path)
    row.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=messages]")


@pytest.fixture
def online_food(guide_data):
    ServiceItemVersion.objects.filter(item__code="SC001").update(online_allowed=True)
    clear_cache()
    return ServiceItemVersion.objects.get(item__code="SC001", status=ServiceItemVersion.Status.PUBLISHED)


def test_a_citizen_applies_is_returned_corrects_and_is_accepted(
    browser, live_server, page, online_food, guide_data, screenshot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    person = make_person(phone="13812340000", name="王小明", id_number=resident_id("11010119900307123"))
    materials = list(Material.objects.filter(version=online_food).order_by("position"))
    required = [m for m in materials if m.requirement == "required"]
    context, citizen = _signed_in_with_a_code(browser, live_server, person.phone)

    citizen.goto("/items/SC001/")
    citizen.click("[data-testid=apply-online]")
    citizen.wait_for_selector("[data-testid=applicant-block]")
    assert "王小明" in citizen.inner_text("[data-testid=applicant-block]")
    citizen.fill("#f-address", "测试市人民路8号")
    citizen.click("[data-testid=start]")
    citizen.wait_for_selector("[data-testid=materials]")
    for m in required:
        _upload(citizen, m, _scan(tmp_path, f"{m.name}.pdf"))
    screenshot(citizen, "online-apply-draft")
    citizen.click("[data-testid=submit]")
    citizen.wait_for_selector("[data-testid=application-status][data-status=submitted]")
    assert citizen.locator("[data-testid=receipt-number]").inner_text()
    screenshot(citizen, "online-apply-submitted")
    application = OnlineApplication.objects.get()

    # the department returns it with a correction list
    login(page, "clerk")
    page.goto("/staff/online/prereview/")
    page.click(f"[data-application='{application.pk}'] a")
    page.wait_for_selector("[data-testid=prereview-form]")
    page.check("[data-testid=outcome-return]")
    page.check(f"[data-testid=correct-{required[0].pk}]")
    page.fill(f"[data-testid=note-{required[0].pk}]", "缺少申请人签名")
    screenshot(page, "online-prereview-return")
    page.click("[data-testid=prereview-submit]")
    page.wait_for_selector("[data-testid=prereview-status][data-status=returned]")

    # the citizen sees the list, replaces the file and resubmits
    citizen.reload()
    citizen.wait_for_selector("[data-testid=correction-list]")
    assert "缺少申请人签名" in citizen.inner_text("[data-testid=correction-list]")
    screenshot(citizen, "online-apply-returned")
    _upload(citizen, required[0], _scan(tmp_path, "签名后的申请书.pdf"))
    citizen.click("[data-testid=submit]")
    citizen.wait_for_selector("[data-testid=application-status][data-status=submitted]")

    # the department passes it: accepted at once
    page.goto(f"/staff/online/prereview/{application.pk}/")
    page.check("[data-testid=outcome-pass]")
    page.click("[data-testid=prereview-submit]")
    page.wait_for_selector("[data-testid=prereview-status][data-status=accepted]")
    number = page.locator("[data-testid=case-number]").inner_text().strip()
    assert number

    citizen.reload()
    citizen.wait_for_selector("[data-testid=application-status][data-status=accepted]")
    assert citizen.locator("[data-testid=case-number]").inner_text().strip() == number
    assert citizen.locator("[data-testid=acceptance-notice]").is_visible()
    screenshot(citizen, "online-apply-accepted")
    citizen.set_viewport_size({"width": 375, "height": 800})
    screenshot(citizen, "online-apply-accepted-375")

    # "my cases": the case with its acceptance notice, downloaded as PDF
    citizen.set_viewport_size({"width": 1280, "height": 900})
    citizen.click("[data-testid=my-case-link]")
    citizen.wait_for_selector("[data-testid=my-case-number]")
    assert citizen.locator("[data-testid=my-case-number]").inner_text().strip() == number
    acceptance = citizen.locator("[data-testid=my-notice][data-kind=acceptance]")
    with citizen.expect_download() as download_info:
        acceptance.locator("[data-testid=my-notice-pdf]").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and number.encode() in pdf
    screenshot(citizen, "online-my-case-accepted")
    context.close()


def test_an_enterprise_agent_applies_on_behalf_of_the_enterprise(
    browser, live_server, online_food, guide_data, screenshot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    boss = make_person(phone="13700137000", name="李总", id_number=resident_id("11010119700101123"))
    agent = make_person(phone="13600136000", name="赵经办", id_number=resident_id("11010119920202123"))
    company = make_enterprise(boss, name="测试食品有限公司", agents=(agent,))
    context, citizen = _citizen(browser, live_server, agent, company, width=375)
    citizen.goto("/apply/items/SC001/")
    block = citizen.inner_text("[data-testid=applicant-block]")
    assert "测试食品有限公司" in block and "李总" in block and "赵经办" in block
    citizen.click("[data-testid=start]")
    citizen.wait_for_selector("[data-testid=materials]")
    for m in Material.objects.filter(version=online_food, requirement="required"):
        _upload(citizen, m, _scan(tmp_path, f"{m.name}.pdf"))
    citizen.click("[data-testid=submit]")
    citizen.wait_for_selector("[data-testid=application-status][data-status=submitted]")
    screenshot(citizen, "online-apply-enterprise-375")
    application = OnlineApplication.objects.get()
    assert application.enterprise_id == company.pk and application.person_id == agent.pk
    assert (application.case.applicant_name, application.case.agent_name) == ("测试食品有限公司", "赵经办")
    context.close()
