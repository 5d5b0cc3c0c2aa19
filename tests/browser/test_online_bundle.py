"""企业开办一件事 applied for online in a real browser (issue 14 with issue 13's bundles): the
legal representative of an enterprise opens the bundle's guide page, clicks 在线申请, answers the
situation questions (the items follow), fills in the one form, uploads the materials once and
submits; the lead department's clerk passes the pre-review (the bundle case and its sub-cases
are created), and the applicant sees the bundle number and the progress link. Screenshots at
desktop width and at 375 px."""

from __future__ import annotations

import pytest

from onewindow.approvals.models import BundleCase
from onewindow.cases.versions import clear_cache
from onewindow.catalog.models import BundleOption, BundleQuestion, ServiceItemVersion
from onewindow.online.models import OnlineApplication
from tests.applicants import make_enterprise, make_person, resident_id
from tests.approvals.conftest import build_world

from .test_case_flow import login
from .test_online_application import _citizen, _scan

pytestmark = pytest.mark.browser


@pytest.fixture
def opening_online(guide_data):
    """The 企业开办 bundle as the demo has it (营业执照 always, 公章 / 发票 / 社保 by situation),
    its items open to online applications."""
    world = build_world(guide_data, questions=True)
    items = {bi.item.code: bi for bi in world.bundle.bundle_items.select_related("item")}
    for position, (key, text, code) in enumerate(
        (("invoice", "是否需要申领发票？", "SW-B1"), ("staff", "是否招用员工？", "RS-B1")), start=2
    ):
        question = BundleQuestion.objects.create(bundle=world.bundle, key=key, text=text, position=position)
        yes = BundleOption.objects.create(question=question, value="yes", label="是", position=1)
        yes.items.set([items[code]])
        BundleOption.objects.create(question=question, value="no", label="否", position=2)
    ServiceItemVersion.objects.filter(pk__in=[v.pk for v in world.items.values()]).update(online_allowed=True)
    clear_cache()
    return world


def test_an_enterprise_applies_online_for_the_opening_bundle_and_sees_its_number(
    browser, live_server, page, opening_online, screenshot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    boss = make_person(phone="13700137001", name="李总", id_number=resident_id("11010119700101123"))
    company = make_enterprise(boss, name="星河科技有限公司")
    context, citizen = _citizen(browser, live_server, boss, company)

    citizen.goto("/bundles/QYKB/")
    citizen.click("[data-testid=apply-online]")
    citizen.wait_for_selector("[data-testid=start-form]")
    for key, answer in (("seal", "yes"), ("invoice", "yes"), ("staff", "no")):
        citizen.check(f"[data-testid=question-{key}] input[value={answer}]")
    citizen.click("[data-testid=start]")
    citizen.wait_for_selector("[data-testid=materials]")
    items = citizen.inner_text("[data-testid=applicable-items]")
    assert "GA事项" in items and "SW事项" in items and "RS事项" not in items
    citizen.fill("#bf-company_name", "星河科技")
    citizen.fill("#f-address", "示范市人民路1号")
    citizen.click("[data-testid=save]")
    citizen.wait_for_selector("[data-testid=messages]")
    for position in (1, 2):
        row = citizen.locator(f"[data-testid=material-{position}]")
        row.locator("input[type=file]").set_input_files(_scan(tmp_path, f"材料{position}.pdf"))
        row.locator("button[type=submit]").click()
        citizen.wait_for_selector("[data-testid=messages]")
    screenshot(citizen, "online-bundle-draft")
    citizen.click("[data-testid=submit]")
    citizen.wait_for_selector("[data-testid=application-status][data-status=submitted]")
    application = OnlineApplication.objects.get()
    assert application.bundle_case_id is None and not BundleCase.objects.exists()

    # the lead department's clerk passes the pre-review
    login(page, "clerk")
    page.goto("/staff/online/prereview/")
    page.click(f"[data-application='{application.pk}'] a")
    page.wait_for_selector("[data-testid=prereview-form]")
    page.check("[data-testid=outcome-pass]")
    screenshot(page, "online-bundle-prereview")
    page.click("[data-testid=prereview-submit]")
    page.wait_for_selector("[data-testid=prereview-status][data-status=accepted]")
    number = page.locator("[data-testid=bundle-number]").inner_text().strip()
    bundle_case = BundleCase.objects.get()
    assert number == bundle_case.number and bundle_case.channel == "online"
    assert bundle_case.sub_cases.count() == 3

    citizen.reload()
    citizen.wait_for_selector("[data-testid=application-status][data-status=accepted]")
    assert citizen.locator("[data-testid=bundle-number]").inner_text().strip() == number
    assert citizen.locator("[data-testid=progress-link]").is_visible()
    screenshot(citizen, "online-bundle-accepted")
    citizen.set_viewport_size({"width": 375, "height": 800})
    screenshot(citizen, "online-bundle-accepted-375")
    context.close()
