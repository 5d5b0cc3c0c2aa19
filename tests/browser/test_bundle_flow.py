"""企业开办一件事 in a real browser (issue 13, "Done when"): from the window through four
departments to one pickup.

The clerk opens the bundle intake, picks 企业开办一件事, answers 是 to its three situation
questions and sees four items of four departments, fills the applicant and the one form, ticks
the materials once and accepts: the bundle page shows four sub-cases. 公安 decides its sub-case
through the ordinary case pages in the browser; the three others through the services. The
clerk's pickup list shows the bundle; one pickup delivers all four; the 送达回证 lists four
results."""

from __future__ import annotations

import pytest

from onewindow.approvals.models import BundleCase
from onewindow.catalog.models import BundleOption, BundleQuestion
from tests.approvals.conftest import APPLICANT, build_world
from tests.browser.test_case_flow import do_action, login

pytestmark = pytest.mark.browser


@pytest.fixture
def opening(guide_data):
    """The 企业开办 bundle as the demo has it: 营业执照 always, 公章 / 发票 / 社保 by situation."""
    world = build_world(guide_data, questions=True)
    items = {bi.item.code: bi for bi in world.bundle.bundle_items.select_related("item")}
    for position, (key, text, code) in enumerate(
        (("invoice", "是否需要申领发票？", "SW-B1"), ("staff", "是否招用员工？", "RS-B1")), start=2
    ):
        question = BundleQuestion.objects.create(bundle=world.bundle, key=key, text=text, position=position)
        yes = BundleOption.objects.create(question=question, value="yes", label="是", position=1)
        yes.items.set([items[code]])
        BundleOption.objects.create(question=question, value="no", label="否", position=2)
    return world


def test_enterprise_opening_from_the_window_through_four_departments_to_one_pickup(page, opening, screenshot):
    world = opening
    login(page, "clerk")
    page.click(".main-nav a[data-nav=bundle_intake]")
    page.click("tr[data-bundle=QYKB] a")
    page.wait_for_selector("[data-testid=chosen-bundle]")
    assert page.locator("[data-testid=bundle-items-pending]").count() == 1
    for key in ("seal", "invoice", "staff"):
        with page.expect_navigation():
            page.check(f"input[name=q_{key}][value=yes]")
    rows = page.locator("[data-testid=bundle-items] tr[data-item]")
    assert rows.count() == 4
    listed = page.inner_text("[data-testid=bundle-items]")
    assert all(name in listed for name in ("市场监督管理局", "公安局", "税务局", "人社局"))
    screenshot(page, "bundle-intake-items")

    page.check("input[name=applicant_kind][value=enterprise]")
    page.fill("#id_applicant_name", APPLICANT["name"])
    page.fill("#id_applicant_id_number", APPLICANT["id_number"])
    page.fill("#id_applicant_legal_rep_name", APPLICANT["legal_rep_name"])
    page.fill("#id_applicant_phone", APPLICANT["phone"])
    page.click("[data-testid=do-accept]")
    # the one form's required field is asked for next to it, in Chinese; nothing is written
    page.wait_for_selector("[data-testid=error-f_company_name]")
    assert "企业名称" in page.inner_text("[data-testid=error-f_company_name]")
    assert BundleCase.objects.count() == 0
    screenshot(page, "bundle-intake-error")
    page.fill("#id_f_company_name", "星河科技")
    page.check("input[name=all_received]")
    screenshot(page, "bundle-intake-form")
    page.click("[data-testid=do-accept]")

    page.wait_for_selector("[data-testid=bundle-number]")
    number = page.inner_text("[data-testid=bundle-number]").strip()
    assert page.get_attribute("[data-testid=bundle-status]", "data-status") == "in_progress"
    assert page.locator("[data-testid=sub-case]").count() == 4
    assert page.locator(".bundle-department").count() == 4
    assert APPLICANT["id_number"] not in page.content()
    screenshot(page, "bundle-page-accepted")
    page.click("[data-testid=fresh-notice] a")
    page.wait_for_selector("[data-testid=notice-items]")
    assert page.locator("[data-testid=notice-items] tbody tr").count() == 4
    assert "公安局" in page.inner_text("[data-testid=notice-items]")
    screenshot(page, "bundle-acceptance-notice")

    bc = BundleCase.objects.get(number=number)
    subs = {s.item_code: s.case for s in bc.sub_cases.select_related("case", "case__department")}
    for code in ("SCJG-B1", "SW-B1", "RS-B1"):
        world.decide(subs[code])

    # 公安 decides its sub-case through the ordinary case pages
    ga_case = subs["GA-B1"].display_number
    login(page, "ga-reviewer")
    page.goto(f"/staff/cases/{ga_case}/")
    page.wait_for_selector("[data-testid=case-bundle]")
    do_action(page, ga_case, "pass_step", opinion="公章刻制备案材料齐全")
    login(page, "ga-approver")
    do_action(page, ga_case, "grant", opinion="准予备案")
    page.click("[data-testid=case-bundle] a")
    page.wait_for_selector("[data-testid=bundle-number]")
    assert page.get_attribute("[data-testid=bundle-status]", "data-status") == "decided"
    assert "公章刻制备案材料齐全" in page.inner_text("[data-testid=bundle-timeline]")
    screenshot(page, "bundle-page-decided")

    # one pickup closes all four
    login(page, "clerk")
    page.click(".main-nav a[data-nav=pickup]")
    row = page.locator(f"[data-testid=pickup-bundles] tr[data-bundle-case='{number}']")
    row.wait_for()
    screenshot(page, "bundle-pickup-list")
    row.locator("[data-testid=deliver-bundle]").click()
    form = page.locator("form[data-testid=action-deliver]")
    form.wait_for()
    form.locator("input[name=deliver-method][value=pickup]").check()
    form.locator("[name=deliver-recipient_relation]").select_option("legal_representative")
    form.locator("[name=deliver-recipient_name]").fill(APPLICANT["legal_rep_name"])
    form.locator("[name=deliver-recipient_id_number]").fill(APPLICANT["legal_rep_id_number"])
    screenshot(page, "bundle-deliver-form")
    form.locator("[data-testid=submit-deliver]").click()
    page.wait_for_selector("[data-testid=receipt-results]")
    assert page.locator("[data-testid=receipt-result]").count() == 4
    assert APPLICANT["legal_rep_id_number"] not in page.content()
    screenshot(page, "bundle-service-receipt")
    bc.refresh_from_db()
    assert bc.status == BundleCase.Status.DELIVERED
