"""The public service guide in a real browser."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_browse_to_an_item_and_its_print_view(page, guide_data, screenshot):
    page.goto("/")
    assert page.locator("h1").first.inner_text() == "办事指南"
    screenshot(page, "portal-home")
    page.click("a[data-department=SCJG]")
    page.wait_for_selector("tr[data-item=SC001]")
    screenshot(page, "portal-department")
    page.click("tr[data-item=SC001] a")
    page.wait_for_selector("#materials")
    assert page.locator("h1").inner_text() == "食品经营许可"
    for text in ("一、法定依据", "二、申请条件", "三、申报材料", "四、办理程序", "六、收费标准及依据"):
        assert page.get_by_text(text).count() == 1, text
    assert "70%" in page.inner_text("[data-testid=promised-limit]")
    screenshot(page, "portal-item")
    page.click("[data-testid=print-link]")
    page.wait_for_selector("[data-testid=print-button]")
    assert page.locator(".sheet h1").inner_text() == "食品经营许可"
    screenshot(page, "portal-item-print")
    # in print media the toolbar disappears
    page.emulate_media(media="print")
    assert not page.locator(".print-toolbar").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_search(page, guide_data, screenshot):
    page.goto("/")
    page.fill("#search-q", "食品")
    page.press("#search-q", "Enter")
    page.wait_for_selector("[data-testid=search-count]")
    assert page.locator("tr[data-item]").count() == 1
    assert page.locator("tr[data-item=SC001]").count() == 1
    # typing again updates the results in place (htmx)
    page.fill("#search-q", "税务")
    page.wait_for_selector("tr[data-item=SW001]")
    assert page.locator("tr[data-item=SC001]").count() == 0
    screenshot(page, "portal-search")


def test_bundle_page(page, guide_data, screenshot):
    page.goto("/")
    page.click("li[data-bundle=QYSL] a")
    page.wait_for_selector("[data-testid=bundle-limit]")
    assert "2 个工作日内办结" in page.inner_text("[data-testid=bundle-limit]")
    screenshot(page, "portal-bundle")


def test_not_found_page(page, guide_data, screenshot):
    response = page.goto("/items/NOPE/")
    assert response.status == 404
    assert page.get_by_text("抱歉，没有找到这个页面").is_visible()
    screenshot(page, "portal-404")


def test_mobile_width_item_page(browser, live_server, guide_data, screenshot):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    tab = context.new_page()
    tab.goto("/items/SC001/")
    # nothing wider than the screen except scrollable tables
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(tab, "portal-item-mobile")
    context.close()
