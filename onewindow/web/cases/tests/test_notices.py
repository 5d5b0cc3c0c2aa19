"""The printable notices: each kind's content, the QR code to the public progress page, the
masked ID number, and identical re-prints from the stored snapshot."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse

from onewindow.cases.models import Notice
from onewindow.web.cases import notices as notice_pages

from .conftest import ID_NUMBER, act, intake

pytestmark = pytest.mark.django_db

MASKED_ID = ID_NUMBER[:3] + "*" * 11 + ID_NUMBER[-4:]


def page(client: Any, notice: Notice) -> str:
    case = notice.case
    response = client.get(reverse("web:case_notice", args=[case.display_number, notice.number]))
    assert response.status_code == 200
    return response.content.decode()


def common(body: str, number: str) -> None:
    assert "测试市政务服务中心" in body  # the center
    assert number in body  # the case (or receipt) number
    assert 'data-testid="notice-date">2026年3月2日<' in body
    assert "张三" in body  # the applicant's own document: the full name
    assert MASKED_ID in body and ID_NUMBER not in body
    assert "<svg" in body and 'data-testid="notice-qr"' in body
    assert f"http://testserver-public/progress/?number={quote(number)}" in body


@pytest.fixture(autouse=True)
def _public_base(settings):
    settings.PUBLIC_BASE_URL = "http://testserver-public/"


def test_acceptance_notice(client, cx, food):
    case = intake(cx, food)
    client.force_login(cx.user("clerk"))
    notice = case.notices.get(kind="acceptance")
    body = page(client, notice)
    common(body, case.number)
    assert 'data-testid="promised-date"' in body and "2026年3月16日" in body
    assert ">受理通知书<" in body and "予以受理" in body
    for m in food.materials.all():
        assert m.name in body
    assert 'data-testid="print-button"' in body and "@media print" not in body
    # a re-print is the same page
    assert page(client, notice) == body


def test_reprint_is_identical_after_the_case_moves_on(client, cx, food):
    case = intake(cx, food)
    client.force_login(cx.user("clerk"))
    notice = case.notices.get(kind="acceptance")
    before = page(client, notice)
    act(case, "request_extension", cx.user("scjg-reviewer"), days=3, reason="需要核查")
    act(case, "approve_extension", cx.user("scjg-chief"))
    assert page(client, notice) == before


def test_correction_notice_lists_every_item(client, cx, food):
    first, second, _third = food.materials.all()
    case = intake(
        cx,
        food,
        action="correct",
        correction_items=[
            {"material": first.pk, "note": "缺少签字"},
            {"material": second.pk, "note": "复印件不清晰"},
        ],
    )
    client.force_login(cx.user("clerk"))
    body = page(client, case.notices.get())
    common(body, case.receipt_number)
    assert "一次性告知书" in body
    table = body.split('data-testid="correction-items"')[1].split("</table>")[0]
    assert first.name in table and "缺少签字" in table
    assert second.name in table and "复印件不清晰" in table


def test_refusal_notice_states_the_rights(client, cx, food):
    case = intake(cx, food, action="refuse", note="不属于本中心受理范围")
    client.force_login(cx.user("clerk"))
    body = page(client, case.notices.get())
    common(body, case.receipt_number)
    assert 'data-testid="refusal-reason"' in body and "不属于本中心受理范围" in body
    assert ">不予受理通知书<" in body
    rights = body.split('data-testid="rights">')[1].split("</div>")[0]
    assert "六十日" in rights and "行政复议" in rights and "六个月" in rights and "行政诉讼" in rights


def test_special_procedure_extension_and_decision_notices(client, cx, food):
    case = intake(cx, food)
    act(
        case,
        "start_special_procedure",
        cx.user("scjg-reviewer"),
        kind="expert_review",
        reason="需专家评审",
        expected_working_days=5,
    )
    act(case, "end_special_procedure", cx.user("scjg-reviewer"))
    act(case, "request_extension", cx.user("scjg-reviewer"), days=5, reason="情况复杂")
    act(case, "approve_extension", cx.user("scjg-chief"))
    act(case, "pass_step", cx.user("scjg-reviewer"))
    act(case, "pass_step", cx.user("scjg-approver"))
    act(case, "grant", cx.user("scjg-approver"), opinion="准予")
    client.force_login(cx.user("clerk"))
    special = page(client, case.notices.get(kind="special_procedure"))
    common(special, case.number)
    assert "需专家评审" in special and "第45条" in special
    extension = page(client, case.notices.get(kind="extension"))
    assert "情况复杂" in extension and "第42条" in extension
    assert 'data-testid="extended-due"' in extension
    decision = page(client, case.notices.get(kind="decision"))
    assert notice_pages.title(case.notices.get(kind="decision")) in decision
    assert "第三十八条第一款" in decision and ">准予行政许可决定书<" in decision
    assert ">特别程序告知书<" in special and ">延期告知书<" in extension


def test_denial_decision_gives_reasons_and_rights(client, cx, food):
    case = intake(cx, food)
    for who in ("scjg-reviewer", "scjg-approver"):
        act(case, "pass_step", cx.user(who))
    act(case, "deny", cx.user("scjg-approver"), reasons="经营场所不符合卫生要求")
    client.force_login(cx.user("clerk"))
    notice = case.notices.get(kind="decision")
    body = page(client, notice)
    common(body, case.number)
    assert 'data-testid="deny-reasons"' in body and "经营场所不符合卫生要求" in body
    assert "第三十八条第二款" in body and ">不予行政许可决定书<" in body
    assert "六十日" in body.split('data-testid="rights">')[1]


def test_notices_are_scoped(client, cx, food):
    case = intake(cx, food)
    notice = case.notices.get()
    client.force_login(cx.user("sw-reviewer"))
    url = reverse("web:case_notice", args=[case.number, notice.number])
    assert client.get(url).status_code == 404
    client.force_login(cx.user("clerk"))
    assert client.get(reverse("web:case_notice", args=[case.number, "NOPE-A01"])).status_code == 404


def test_qr_code_is_an_inline_svg_for_the_progress_address():
    svg = notice_pages.qr_svg("http://example.test/progress/?number=DEMO20260302000001K")
    assert svg.startswith("<svg") and "</svg>" in svg
    assert notice_pages.progress_url("DEMO20260302000001K").endswith("/progress/?number=DEMO20260302000001K")
