"""The home page shows the user's own workload (issue 11, §1.9) with links to the filtered worklist."""

from __future__ import annotations

import re

from django.urls import reverse

from onewindow.cases.facts import Level
from onewindow.cases.models import CaseStep

from .conftest import act, intake


def figure(body: str, testid: str) -> int:
    found = re.search(rf'data-testid="{testid}"><span class="figure-value[^"]*">(\d+)</span>', body)
    assert found, f"{testid} not on the page"
    return int(found.group(1))


def set_level(case, level: int) -> None:
    CaseStep.objects.filter(case=case, status=CaseStep.Status.ACTIVE).update(level=level)


def test_home_counts_the_steps_to_do_yellow_and_red(client, cx, food):
    # accepting finishes 受理: the three cases wait at the reviewer's 审查 step
    calm, late, lost = intake(cx, food), intake(cx, food), intake(cx, food)
    set_level(late, Level.YELLOW)
    set_level(lost, Level.RED)
    client.force_login(cx.user("scjg-reviewer"))
    body = client.get(reverse("web:home")).content.decode()
    assert figure(body, "workload-to-do") == 3
    assert figure(body, "workload-yellow") == 1
    assert figure(body, "workload-red") == 1
    assert 'data-testid="workload-approvals"' not in body  # a reviewer approves no extension
    assert "我的工作量" in body
    assert "appear here as they are switched on" not in body  # the placeholder is gone

    yellow = client.get(reverse("web:worklist"), {"scope": "post", "level": "yellow"}).content.decode()
    assert late.number in yellow and calm.number not in yellow and lost.number not in yellow
    red = client.get(reverse("web:worklist"), {"scope": "post", "level": "red"}).content.decode()
    assert lost.number in red and late.number not in red
    every = client.get(reverse("web:worklist"), {"level": "purple"}).content.decode()
    assert all(case.number in every for case in (calm, late, lost))
    worklist = reverse("web:worklist")
    assert f'href="{worklist}?scope=post&amp;level=yellow" data-testid="workload-yellow"' in body
    assert f'href="{worklist}?scope=post&amp;level=red" data-testid="workload-red"' in body


def test_home_counts_extension_requests_waiting_for_the_approver(client, cx, food):
    case = intake(cx, food)
    act(case, "request_extension", cx.user("scjg-reviewer"), days=3, reason="需要现场核查")
    client.force_login(cx.user("scjg-chief"))
    assert figure(client.get(reverse("web:home")).content.decode(), "workload-approvals") == 1
    client.force_login(cx.user("sw-chief"))  # another department's chief: outside the data scope
    assert figure(client.get(reverse("web:home")).content.decode(), "workload-approvals") == 0
    act(case, "approve_extension", cx.user("scjg-chief"))
    client.force_login(cx.user("scjg-chief"))
    assert figure(client.get(reverse("web:home")).content.decode(), "workload-approvals") == 0


def test_accounts_without_the_worklist_see_no_workload(client, org):
    client.force_login(org.user("sysadmin"))
    body = client.get(reverse("web:home")).content.decode()
    assert 'data-testid="workload"' not in body
