"""The window evaluator in a real browser: a tablet (1280 x 800, landscape) paired with the
general window's key shows the case the clerk just accepted there; the applicant taps 非常满意
and sees the thank-you screen, which returns to the idle screen by itself."""

from __future__ import annotations

import pytest

from onewindow.core import clock
from onewindow.feedback import devices
from onewindow.feedback.codes import DEFAULT_TEMPLATES
from onewindow.feedback.models import Evaluation, EvaluationTemplate

pytestmark = pytest.mark.browser


def _templates() -> None:
    # transactional_db empties the tables, the templates of migration 0002 too
    for kind, indicators in DEFAULT_TEMPLATES.items():
        EvaluationTemplate.objects.get_or_create(
            kind=kind,
            version=1,
            defaults={
                "indicators": [{"code": c, "label": label} for c, label in indicators],
                "created_at": clock.now(),
            },
        )


def test_the_tablet_shows_the_case_and_takes_a_rating(
    browser, live_server, guide_data, accept_food_case, screenshot
):
    _templates()
    _device, key = devices.device_create(
        window=guide_data.general_window, name="综合窗口1评价器", actor=guide_data.user("centeradmin")
    )
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/evaluator/")
        page.wait_for_selector("[data-testid=evaluator-pair]")
        page.fill("[data-testid=evaluator-key]", key)
        page.click("[data-testid=evaluator-pair-submit]")
        page.wait_for_selector("[data-testid=evaluator-idle]")
        assert "欢迎评价" in page.inner_text("body")
        case = accept_food_case()
        # the page asks every 5 s and reloads when the window's current service changes
        page.wait_for_selector("[data-testid=evaluator-screen]", timeout=12_000)
        assert page.inner_text("[data-testid=evaluator-item]") == "食品经营许可"
        assert page.inner_text("[data-testid=evaluator-applicant]") == "王**"  # 王小明, masked
        screenshot(page, "window-evaluator-screen", full_page=False)
        page.click("[data-testid=evaluator-level-very_satisfied]")
        page.wait_for_selector("[data-testid=evaluator-thanks]")
        assert "感谢您的评价" in page.inner_text("body")
        screenshot(page, "window-evaluator-thanks", full_page=False)
        page.wait_for_selector("[data-testid=evaluator-idle]", timeout=10_000)
    finally:
        context.close()
    evaluation = Evaluation.objects.get(occasion__case=case)
    assert evaluation.level == "very_satisfied" and evaluation.channel == "hall_tablet"
