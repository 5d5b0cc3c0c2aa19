"""The rectification of a 差评 in a real browser: a bad rating given through evaluation_submit,
the chief of the department calls back and classifies it complex, rectifies and tells the
evaluator, and the supervisor approves and closes it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from onewindow.feedback.models import EvaluationTemplate, Rectification, ServiceOccasion
from onewindow.feedback.services import evaluation_submit
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

OFFLINE = [
    ("overall", "整体满意度"),
    ("efficiency", "服务效率"),
    ("skill", "服务水平"),
    ("attitude", "服务态度"),
]


def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/staff/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-name]")


def test_a_bad_rating_is_rectified_and_closed(page, guide_data, accept_food_case, screenshot):
    # transactional_db emptied the tables the migrations filled: the offline template again
    EvaluationTemplate.objects.get_or_create(
        kind="offline",
        version=1,
        defaults={
            "indicators": [{"code": c, "label": label} for c, label in OFFLINE],
            "created_at": timezone.now(),
        },
    )
    case = accept_food_case()
    evaluation = evaluation_submit(
        occasion=ServiceOccasion.objects.get(case=case),
        level="dissatisfied",
        tags=["efficiency"],
        text="等候时间太长",
        channel="qr_code",
    )
    r = Rectification.objects.get(evaluation=evaluation)

    login(page, "scjg-chief")
    page.goto("/staff/rectifications/")
    assert page.locator(f"tr[data-rectification='{r.pk}']").is_visible()
    screenshot(page, "rectification-worklist")
    page.click(f"tr[data-rectification='{r.pk}'] [data-testid=rect-open]")
    page.wait_for_selector("[data-testid=form-callback]")
    page.check("[data-testid=form-callback] input[name=reached][value=yes]")
    page.fill("#cb-note", "已电话回访，申请人反映窗口等候时间长")
    page.select_option("#cls-o", "complex")
    page.fill("#expl-o", "高峰时段窗口不足，需调整排班")
    page.click("[data-testid=do-callback]")
    page.wait_for_selector("[data-testid=rect-status][data-status=rectifying]")
    assert page.locator("[data-testid=rect-due]").is_visible()
    page.fill("#rect-note", "增设高峰时段弹性窗口")
    page.click("[data-testid=do-rectify]")
    page.wait_for_selector("[data-testid=form-inform]")
    page.select_option("#inform-method", "phone")
    page.fill("#inform-note", "已电话告知整改结果")
    page.click("[data-testid=do-inform]")
    page.wait_for_selector("[data-testid=rect-status][data-status=informed]")
    assert page.locator("[data-testid=form-review]").count() == 0  # the chief does not review

    login(page, "supervisor")
    page.goto(f"/staff/rectifications/{r.pk}/")
    page.fill("#review-note", "整改到位")
    page.click("[data-testid=do-approve]")
    page.wait_for_selector("[data-testid=rect-status][data-status=closed]")
    actions = page.locator("[data-testid=rect-events] tr[data-action]")
    assert actions.count() == 6  # opened, callback, classify, rectify, inform, approve
    screenshot(page, "rectification-closed")
    r.refresh_from_db()
    assert r.status == "closed"
