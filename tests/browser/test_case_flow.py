"""Cases from the window to the public lookup, in a real browser.

A clerk accepts a case and prints the acceptance notice (the acceptance finishes the 受理 step),
a reviewer passes, an approver passes and grants, the certificate clerk issues the certificate,
the clerk completes it and records the pickup, and the applicant looks it up on the public
progress page. Then: a chief representative delegates an instant item to the general window
(窗口授权) and its clerk completes one in one sitting; a reviewer asks for an extension and the
chief approves it from the worklist."""

from __future__ import annotations

import re

import pytest

from onewindow.cases.applicants import resident_id_check
from onewindow.catalog.models import Material
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

ID_NUMBER = "11010119900307123" + resident_id_check("11010119900307123")
PHONE = "13912345678"
AGENT_ID = "11010519850614231" + resident_id_check("11010519850614231")


def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/staff/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-name]")


def do_action(page, number: str, action: str, **fields: str) -> None:
    page.goto(f"/staff/cases/{number}/")
    details = page.locator(f"details[data-action={action}]")
    if not details.evaluate("element => element.open"):
        details.locator("summary").click()
    form = page.locator(f"form[data-testid=action-{action}]")
    for name, value in fields.items():
        control = form.locator(f"[name='{action}-{name}']")
        if control.evaluate("element => element.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".messages .notice-ok")


def test_a_case_from_the_window_to_the_public_lookup(page, guide_data, screenshot):
    make_user(
        "scjg-certifier",
        center=guide_data.center,
        department=guide_data.dept_a,
        roles=("reviewer",),
        posts=[guide_data.posts["certify"]],
        full_name="制证员",
    )
    materials = list(Material.objects.filter(version__item__code="SC001").order_by("position"))

    # the clerk finds the item, checks the materials, enters the applicant and accepts
    login(page, "clerk")
    page.click(".main-nav a[data-nav=intake]")
    # htmx binds the search field on DOMContentLoaded: typing before that would send nothing
    page.wait_for_load_state("load")
    page.fill("#item-q", "食品")
    page.wait_for_selector("tr[data-item=SC001]", timeout=60_000)  # the first search loads jieba
    screenshot(page, "case-intake-search")
    page.click("tr[data-item=SC001] a")
    page.wait_for_selector("[data-testid=materials-checklist]")
    page.fill("#id_applicant_name", "王小明")
    page.fill("#id_applicant_id_number", ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1"))
    page.fill("#id_applicant_phone", PHONE)
    for m in materials:
        page.check(f"input[name=m{m.pk}_received]")
    page.click("[data-testid=do-accept]")
    # a wrong check character in the ID number is caught next to the field
    page.wait_for_selector("[data-testid=error-applicant_id_number]")
    screenshot(page, "case-intake-error")
    page.fill("#id_applicant_id_number", ID_NUMBER)
    for m in materials:
        page.check(f"input[name=m{m.pk}_received]")
    screenshot(page, "case-intake-form")
    page.click("[data-testid=do-accept]")

    # the printable acceptance notice
    page.wait_for_selector("[data-testid=notice]")
    assert page.inner_text("[data-testid=notice-title]") == "受理通知书"
    number = page.inner_text("[data-testid=notice-case-number]").strip()
    assert re.fullmatch(r"DEMO\d{14}[0-9A-Z]", number)
    assert "王小明" in page.inner_text("[data-testid=notice]")
    assert ID_NUMBER not in page.content()
    assert page.locator("[data-testid=notice-qr] svg").count() == 1
    assert "承诺" in page.inner_text("[data-testid=promised-date]")
    screenshot(page, "case-acceptance-notice")
    page.emulate_media(media="print")
    assert not page.locator(".notice-toolbar").is_visible()
    assert page.pdf(format="A4").startswith(b"%PDF")
    page.emulate_media(media="screen")

    # the acceptance finished the 受理 step: the clerk has nothing left to pass, and the
    # department's reviewer finds the case in 待办 at once
    page.goto(f"/staff/cases/{number}/")
    assert page.locator("form[data-testid=action-pass_step]").count() == 0
    login(page, "scjg-reviewer")
    page.click(".main-nav a[data-nav=worklist]")
    page.wait_for_selector(f"tr[data-case='{number}']")
    screenshot(page, "case-worklist-reviewer")
    do_action(page, number, "pass_step", opinion="经审查，符合条件")
    screenshot(page, "case-page-after-review")

    login(page, "scjg-approver")
    do_action(page, number, "pass_step", opinion="同意")
    do_action(page, number, "grant", opinion="准予许可")
    assert page.get_attribute("[data-testid=case-status]", "data-status") == "decided_granted"

    login(page, "scjg-certifier")
    do_action(page, number, "issue_certificate", certificate_number="JY13301020000001")

    login(page, "clerk")
    do_action(page, number, "complete")

    # the result waits on the window's pickup list; the applicant's agent collects it
    page.click(".main-nav a[data-nav=pickup]")
    row = page.locator(f"[data-testid=pickup-list] tr[data-case='{number}']")
    row.wait_for()
    assert ID_NUMBER not in row.inner_text()
    screenshot(page, "case-pickup-list")
    row.locator("a.button").click()
    page.wait_for_selector("[data-testid=deliver-form]")
    page.check("input[name=method][value=pickup]")
    page.select_option("[name=recipient_relation]", "authorised_agent")
    page.click("[data-testid=deliver-submit]")
    # an agent must say who they are: name and ID number, both asked for in one round
    page.wait_for_selector("[data-testid=deliver-form] .errorlist")
    assert page.locator("[data-testid=deliver-form] .errorlist li").count() >= 2
    page.fill("[name=recipient_name]", "王大明")
    page.fill("[name=recipient_id_number]", AGENT_ID)
    screenshot(page, "case-deliver-form")
    page.click("[data-testid=deliver-submit]")
    # recorded: the printable proof of service (送达回证) opens
    page.wait_for_selector("[data-testid=proof-of-service]")
    proof = page.inner_text("[data-testid=proof-of-service]")
    assert "王大明" in proof and AGENT_ID not in proof and AGENT_ID[-4:] in proof
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", page.inner_text("[data-testid=notice-date]"))
    screenshot(page, "case-proof-of-service")
    page.goto(f"/staff/cases/{number}/")
    assert page.locator("[data-testid=history] tr[data-event=deliver]").count() == 1
    assert page.locator("[data-testid=notices] li[data-notice-kind=decision]").count() == 1
    screenshot(page, "case-page-delivered")

    # the applicant's lookup (the QR code's address opens it pre-filled)
    page.context.clear_cookies()
    page.goto(f"/progress/?number={number}")
    assert page.input_value("#progress-number") == number
    page.fill("#progress-code", PHONE[-4:])
    page.click("[data-testid=progress-form] button[type=submit]")
    page.wait_for_selector("[data-testid=progress-result]")
    assert page.get_attribute("[data-testid=progress-status]", "data-status") == "delivered"
    text = page.inner_text("main")
    for secret in ("王小明", PHONE, ID_NUMBER, "scjg-reviewer", "经审查，符合条件"):
        assert secret not in text, secret
    screenshot(page, "case-public-progress")


INSTANT_STEPS = [
    ("受理", "accept", "accept", 0),
    ("核准登记", "decide", "decide", 0),
    ("发照", "certify", "certify", 0),
]


def test_a_delegated_window_completes_an_instant_item_and_a_chief_approves_an_extension(
    page, guide_data, screenshot
):
    from onewindow.cases.models import Case, CaseExtension
    from tests.factories import make_item

    org = guide_data
    instant = make_item(
        org,
        code="SC003",
        name="个体工商户设立登记",
        legal_limit=3,
        promised_limit=0,
        handling_type="instant",
        steps=INSTANT_STEPS,
    )

    # the chief representative delegates the instant item to the general window (窗口授权)
    login(page, "scjg-chief")
    page.click(".main-nav a[data-nav=windows]")
    page.click("tr[data-window=Z01] a")
    page.select_option("#grant-item", str(instant.item_id))
    page.fill("#grant-note", "即办件当场办结")
    page.click("[data-testid=grant-button]")
    page.wait_for_selector(".messages .notice-ok")
    assert page.locator("[data-testid=delegations] tr[data-delegation=SC003]").count() == 1
    screenshot(page, "window-delegations")

    # a clerk at that window completes the instant item in one sitting
    login(page, "clerk")
    page.goto("/staff/cases/intake/?item=SC003")
    page.wait_for_selector("[data-testid=materials-checklist]")
    page.fill("#id_applicant_name", "李四")
    page.fill("#id_applicant_id_number", ID_NUMBER)
    page.fill("#id_applicant_phone", PHONE)
    for m in Material.objects.filter(version=instant).order_by("position"):
        page.check(f"input[name=m{m.pk}_received]")
    page.click("[data-testid=do-accept]")
    page.wait_for_selector("[data-testid=notice]")
    case = Case.objects.get(item_version=instant)
    assert case.status == "completed" and case.decision == "granted"
    page.goto(f"/staff/cases/{case.number}/")
    assert page.get_attribute("[data-testid=case-status]", "data-status") == "completed"
    for action in ("accept", "grant", "issue_certificate", "complete"):
        assert page.locator(f"[data-testid=history] tr[data-event={action}]").count() == 1
    screenshot(page, "case-instant-completed-at-the-window")

    # a promised case: the reviewer asks for an extension and sees it waiting for approval
    page.goto("/staff/cases/intake/?item=SC001")
    page.wait_for_selector("[data-testid=materials-checklist]")
    page.fill("#id_applicant_name", "王五")
    page.fill("#id_applicant_id_number", ID_NUMBER)
    page.fill("#id_applicant_phone", PHONE)
    for m in Material.objects.filter(version__item__code="SC001").order_by("position"):
        page.check(f"input[name=m{m.pk}_received]")
    page.click("[data-testid=do-accept]")
    page.wait_for_selector("[data-testid=notice]")
    promised = Case.objects.filter(item_version__item__code="SC001").get()
    number = promised.number
    login(page, "scjg-reviewer")
    do_action(page, number, "request_extension", days="3", reason="需现场核查")
    assert "已提交，待批准" in page.inner_text(".messages")
    assert "已提交，待批准" in page.inner_text("[data-testid=pending-extension]")

    # the chief representative finds it in the worklist and approves it there
    login(page, "scjg-chief")
    page.click(".main-nav a[data-nav=worklist]")
    row = page.locator(f"[data-testid=worklist-approvals] tr[data-case='{number}']")
    row.wait_for()
    assert row.locator("[data-testid=approval-days]").inner_text() == "3"
    assert "需现场核查" in row.inner_text()
    screenshot(page, "worklist-approvals")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(".messages .notice-ok")
    extension = CaseExtension.objects.get(case=promised)
    assert extension.status == "approved"
    # back on the worklist: nothing waits any more; the case page shows no pending request
    assert page.locator(f"[data-testid=worklist-approvals] tr[data-case='{number}']").count() == 0
    page.goto(f"/staff/cases/{number}/")
    assert page.locator("[data-testid=pending-extension]").count() == 0
