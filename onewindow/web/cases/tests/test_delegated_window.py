"""窗口授权 in the pages: a clerk at a window to which an instant item is delegated completes it
in one sitting (accept, decide, certificate, complete); without the delegation the clerk
accepts it and the department decides it."""

from __future__ import annotations

from django.urls import reverse

from onewindow.cases.models import Case
from onewindow.catalog.delegations import window_delegation_grant
from onewindow.web.cases.tests.test_pages import intake_form
from tests.factories import make_item

INSTANT_STEPS = [
    ("受理", "accept", "accept", 0),
    ("核准登记", "decide", "decide", 0),
    ("发照", "certify", "certify", 0),
]


def test_a_clerk_at_a_delegated_window_completes_an_instant_item(client, cx):
    version = make_item(
        cx, code="SCJG-002", handling_type="instant", legal_limit=3, promised_limit=0, steps=INSTANT_STEPS
    )
    client.force_login(cx.user("clerk"))
    # not delegated: accepted at the window, decided by the department
    response = client.post(reverse("web:intake"), intake_form(version))
    assert response.status_code == 302
    waiting = Case.objects.get()
    assert waiting.status == "accepted"
    client.get(response["Location"])  # the printable notice keeps the message for the next page
    told = client.get(reverse("web:case", args=[waiting.number])).content.decode()
    assert "不能当场办结" in told and "已转主管部门当日办理" in told
    window_delegation_grant(actor=cx.user("scjg-chief"), window=cx.general_window, item=version.item)
    response = client.post(reverse("web:intake"), intake_form(version))
    assert response.status_code == 302
    case = Case.objects.exclude(pk=waiting.pk).get()
    decision = client.get(response["Location"]).content.decode()
    assert "与本决定一并当场颁发" in decision and "十个工作日" not in decision
    assert "已受理并当场办结" in client.get(reverse("web:case", args=[case.number])).content.decode()
    assert case.status == "completed" and case.decision == "granted"
    actions = list(case.events.order_by("seq").values_list("action", flat=True))
    assert actions == ["receive", "accept", "grant", "issue_certificate", "complete"]
    page = client.get(reverse("web:case", args=[case.number])).content.decode()
    assert 'data-status="completed"' in page
    assert 'data-testid="deliver-link"' in page  # the result is handed over at the window (its own page)
    assert 'data-testid="action-deliver"' not in page
    assert "当场办结" in page.split('data-testid="case-time-limit"')[1].split("</dd>")[0]
    item_page = client.get(reverse("web:item", args=[version.item.code])).content.decode()
    assert "当场办结" in item_page and "0 个工作日" not in item_page


def test_the_delegated_clerk_decides_a_promised_item_on_the_case_page(client, cx, food):
    window_delegation_grant(actor=None, window=cx.general_window, item=food.item)
    client.force_login(cx.user("clerk"))
    response = client.post(reverse("web:intake"), intake_form(food))
    assert response.status_code == 302
    case = Case.objects.get()
    page = client.get(reverse("web:case", args=[case.number])).content.decode()
    assert 'data-testid="action-pass_step"' in page  # 审查, by the delegation
