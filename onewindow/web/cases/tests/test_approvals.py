"""Pending approvals in the pages: the requester sees "已提交，待批准", the chief representative
finds the request in the worklist with the days asked, the reason, the requester and the clock,
and approves it there (or rejects it on the case page, with the reason)."""

from __future__ import annotations

from django.urls import reverse

from onewindow.cases.models import CaseExtension
from onewindow.web.cases.tests.conftest import act, intake
from onewindow.web.cases.tests.test_pages import post_action


def approvals_panel(body: str) -> str:
    if 'data-testid="worklist-approvals"' not in body:
        return ""
    return body.split('data-testid="worklist-approvals"')[1].split("</section>")[0]


def test_a_chief_approves_an_extension_from_the_worklist(client, cx, food):
    case = intake(cx, food)
    client.force_login(cx.user("scjg-reviewer"))
    response = post_action(client, case, "request_extension", days="3", reason="需现场核查")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    flash = page.split('class="messages"')[1].split("</ul>")[0]
    assert "已提交，待批准" in flash and "已完成" not in flash
    assert 'data-testid="pending-extension"' in page and "需现场核查" in page
    assert approvals_panel(client.get(reverse("web:worklist")).content.decode()) == ""  # not an approver

    client.force_login(cx.user("scjg-chief"))
    panel = approvals_panel(client.get(reverse("web:worklist")).content.decode())
    extension = CaseExtension.objects.get()
    assert f'data-approval="{extension.pk}"' in panel and case.number in panel
    assert 'data-testid="approval-days">3<' in panel and "需现场核查" in panel and "scjg-reviewer" in panel
    assert 'data-testid="approval-days-left">10<' in panel  # the case's clock
    assert 'data-testid="approval-count">1<' in panel
    # another department's chief does not see it
    client.force_login(cx.user("sw-chief"))
    assert approvals_panel(client.get(reverse("web:worklist")).content.decode()) == ""
    # approve with the worklist's form
    client.force_login(cx.user("scjg-chief"))
    case.refresh_from_db()
    response = client.post(
        reverse("web:case_act", args=[case.number]),
        {
            "action": "approve_extension",
            "approve_extension-version": case.version,
            "next": reverse("web:worklist"),
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:worklist")
    extension.refresh_from_db()
    case.refresh_from_db()
    assert extension.status == "approved" and case.extension_days == 3
    assert approvals_panel(client.get(reverse("web:worklist")).content.decode()) == ""
    page = client.get(reverse("web:case", args=[case.number])).content.decode()
    assert 'data-testid="pending-extension"' not in page


def test_next_never_leaves_the_site(client, cx, food):
    case = intake(cx, food)
    act(case, "request_extension", cx.user("scjg-reviewer"), days=2, reason="需要核查")
    client.force_login(cx.user("scjg-chief"))
    case.refresh_from_db()
    data = {"action": "approve_extension", "approve_extension-version": case.version}
    response = client.post(
        reverse("web:case_act", args=[case.number]), {**data, "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:case", args=[case.number])


def test_the_reject_link_opens_the_reject_form_on_the_case_page(client, cx, food):
    case = intake(cx, food)
    act(case, "request_extension", cx.user("scjg-reviewer"), days=2, reason="需要核查")
    client.force_login(cx.user("supervisor"))
    panel = approvals_panel(client.get(reverse("web:worklist")).content.decode())
    extension = CaseExtension.objects.get()
    link = f"{reverse('web:case', args=[case.number])}?action=reject_extension#actions"
    assert f'href="{link}" data-testid="reject-{extension.pk}"' in panel
    page = client.get(link).content.decode()
    assert 'data-action="reject_extension" open' in page
    response = post_action(client, case, "reject_extension", note="无需延期")
    assert response.status_code == 302
    extension.refresh_from_db()
    assert extension.status == "rejected"
