"""Chinese punctuation in the messages (issue 11 §1.7): every default template, rendered, has no
doubled punctuation ("。。", "，。", ".。") and no ASCII punctuation in its Chinese text; a value
that ends with its own full stop does not double the template's; a due date in a year without a
confirmed holiday schedule adds one short sentence."""

from __future__ import annotations

import re

import pytest

from onewindow.notifications.defaults import DEFAULT_TEMPLATES, TENTATIVE_DATE_NOTE
from onewindow.notifications.models import MessageTemplate
from onewindow.notifications.rendering import placeholders, render, tidy_punctuation
from onewindow.notifications.services import message_build

# Values as the cases app fills them, several ending with their own punctuation.
CONTEXT = {
    "center_name": "测试市政务服务中心",
    "item_name": "食品经营许可",
    "case_number": "DEMO20261207000001K",
    "receipt_number": "RDEMO20261207000001K",
    "applicant_name": "张三",
    "department": "市场监督管理局",
    "due_date": "2026年12月21日",
    "pickup_place": "测试市政务服务中心综合窗口1",
    "reason": "不属于本中心受理范围。",
    "materials": "营业执照复印件；法定代表人身份证明。",
    "step_name": "审查",
    "due_at": "2026年12月21日17:00",
    # a bundle case's messages (onewindow.approvals)
    "bundle_name": "企业开办一件事",
    "bundle_number": "DEMO20261207000002V",
    "item_count": "4",
    "days": "15",
    # an applicant's sign-in code (onewindow.identity)
    "code": "123456",
    "minutes": "5",
    # an appointment's messages (onewindow.appointments)
    "name": "张*",
    "id_number": "110***********1234",
    "business_name": "企业登记",
    "date": "2026年12月21日",
    "start": "09:00",
    "end": "09:30",
    # a complaint's messages (onewindow.complaints)
    "number": "TS202612070001",
    "query_code": "A2B3C4",
    "reply": "该事项已申请行政复议，请等待复议结果。",
    "title": "窗口工作人员态度生硬",
    # the evaluation invitation and reminder (onewindow.feedback.invitations)
    "link": "https://zwfw.example.gov.cn/evaluate/MQ:1vXyZ:abc/?via=sms",
    # the queue's "almost your turn" (onewindow.hall.almost)
    "ahead": "3",
}
ENDINGS = ["。", "，", ".", "；", "！", ","]
ASCII_IN_CHINESE = re.compile(r"[,;:()!?]")


@pytest.mark.parametrize("code", [code for code, _name, _text in DEFAULT_TEMPLATES])
@pytest.mark.parametrize("ending", ENDINGS)
def test_every_template_renders_without_doubled_punctuation(code: str, ending: str) -> None:
    text = dict((c, t) for c, _n, t in DEFAULT_TEMPLATES)[code]
    context = {k: v.rstrip("。；") + ending for k, v in CONTEXT.items()}
    body = render(text, context)
    for pair in ("。。", "，。", ".。", "；。", ",。", "，，"):
        assert pair not in body, (code, body)


@pytest.mark.parametrize(("code", "name", "text"), DEFAULT_TEMPLATES)
def test_templates_use_chinese_punctuation(code: str, name: str, text: str) -> None:
    literal = re.sub(r"\{[a-z_]+\}", "", text)
    assert not ASCII_IN_CHINESE.search(literal), (code, literal)
    assert not ASCII_IN_CHINESE.search(name)
    assert set(placeholders(text)) <= set(CONTEXT)


@pytest.mark.django_db
def test_the_stored_templates_are_the_fixed_ones() -> None:
    stored = dict(MessageTemplate.objects.values_list("code", "text"))
    for code, _name, text in DEFAULT_TEMPLATES:
        assert stored[code] == text
        assert not ASCII_IN_CHINESE.search(re.sub(r"\{[a-z_]+\}", "", stored[code]))


@pytest.mark.django_db
def test_the_refusal_message_has_one_full_stop() -> None:
    message = message_build(
        template_code="case_refused", recipient="13812345678", context={**CONTEXT, "reason": "材料不全。"}
    )
    assert message is not None
    assert "理由：材料不全。如不服" in message.body and "。。" not in message.body


@pytest.mark.django_db
def test_a_due_date_in_an_unconfirmed_year_says_it_may_change() -> None:
    tentative = message_build(
        template_code="case_accepted",
        recipient="13812345678",
        context={**CONTEXT, "due_date": "2027年1月8日", "due_date_confirmed": False},
    )
    assert tentative is not None and tentative.body.endswith(TENTATIVE_DATE_NOTE)
    confirmed = message_build(
        template_code="case_accepted",
        recipient="13812345678",
        context={**CONTEXT, "due_date_confirmed": True},
    )
    assert confirmed is not None and TENTATIVE_DATE_NOTE not in confirmed.body
    # a message without the date says nothing about it
    refused = message_build(
        template_code="case_refused",
        recipient="13812345678",
        context={**CONTEXT, "due_date_confirmed": False},
    )
    assert refused is not None and TENTATIVE_DATE_NOTE not in refused.body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("理由：材料不全。。", "理由：材料不全。"),
        ("理由：材料不全，。", "理由：材料不全。"),
        ("理由：incomplete.。", "理由：incomplete。"),
        ("请补正！。", "请补正！"),
        ("甲，，乙", "甲，乙"),
        ("版本1.2已发布。", "版本1.2已发布。"),
        ("……", "……"),
    ],
)
def test_tidy_punctuation(text: str, expected: str) -> None:
    assert tidy_punctuation(text) == expected
