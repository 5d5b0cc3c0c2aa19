"""Evaluating by QR code on a phone (375 px): the occasion's link opens the public page; 不满意
without a reason is refused with a message; with an indicator chip it is thanked for."""

from __future__ import annotations

import pytest

from onewindow.core import clock
from onewindow.feedback.codes import DEFAULT_TEMPLATES
from onewindow.feedback.models import Evaluation, EvaluationTemplate, ServiceOccasion
from onewindow.feedback.tokens import occasion_token

pytestmark = pytest.mark.browser


def _templates() -> None:
    # transactional_db empties the tables, the migration's templates too
    for kind, indicators in DEFAULT_TEMPLATES.items():
        EvaluationTemplate.objects.get_or_create(
            kind=kind,
            version=1,
            defaults={
                "indicators": [{"code": c, "label": label} for c, label in indicators],
                "created_at": clock.now(),
            },
        )


def test_a_bad_rating_needs_a_reason_then_thanks(
    browser, live_server, guide_data, accept_food_case, screenshot
):
    _templates()
    case = accept_food_case()
    occasion = ServiceOccasion.objects.get(case=case, kind="accepted")
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 375, "height": 812}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.goto(f"/evaluate/{occasion_token(occasion.pk)}/")
    assert tab.locator("[data-testid=evaluate-service]").inner_text().count("食品经营许可") == 1
    assert "王小明" not in tab.content()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(tab, "evaluate-qr-375")
    tab.click("[data-testid=level-dissatisfied]")
    tab.click("[data-testid=evaluate-submit]")
    error = tab.locator("[data-testid=evaluate-error]")
    assert "请选择评价指标或填写意见" in error.inner_text()
    screenshot(tab, "evaluate-qr-needs-reason-375")
    assert not Evaluation.objects.exists()
    # the level stays chosen; a chip is enough
    assert tab.locator("input[name=level][value=dissatisfied]").is_checked()
    tab.click("[data-testid=tag-attitude]")
    tab.click("[data-testid=evaluate-submit]")
    tab.wait_for_selector("[data-testid=evaluate-thanks]")
    screenshot(tab, "evaluate-qr-thanks-375")
    evaluation = Evaluation.objects.get()
    assert evaluation.level == "dissatisfied" and evaluation.tags == ["attitude"]
    assert evaluation.channel == "qr_code"
    context.close()
