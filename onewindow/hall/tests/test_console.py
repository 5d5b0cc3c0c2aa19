"""The window console without JS (forms POST and redirect), and the intake started from it
(开始受理 → ?ticket=) linking the accepted case to the ticket."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.core import clock
from onewindow.hall.models import Ticket
from onewindow.hall.tests.queue_helpers import Queue, build_queue
from tests.factories import make_item, make_user


def intake_form(version: Any) -> dict[str, Any]:
    """The intake page's form, every material received (as web/cases/tests build it)."""
    from onewindow.cases.tests.conftest import resident_id

    data: dict[str, Any] = {
        "item_code": version.item.code,
        "action": "accept",
        "channel": "window",
        "applicant_kind": "person",
        "applicant_name": "张三",
        "applicant_id_type": "resident_id",
        "applicant_id_number": resident_id(),
        "applicant_phone": "13912345678",
        "applicant_address": "测试市人民路1号",
        "delivery_method": "pickup",
        "note": "",
    }
    for m in version.materials.all():
        data[f"m{m.pk}_received"] = "on"
        data[f"m{m.pk}_form"] = m.form
        data[f"m{m.pk}_copies"] = "1"
        data[f"m{m.pk}_note"] = ""
    return data


@pytest.fixture
def q(org: Any) -> Queue:
    return build_queue(org, open_windows=False)


def _act(client: Client, **data: str) -> list[str]:
    answer = client.post(reverse("web:queue_console_act"), data, follow=True)
    assert answer.status_code == 200
    return [str(m) for m in answer.context["messages"]]


def test_the_console_round(client: Client, q: Queue) -> None:
    client.force_login(q.clerk)
    page = client.get(reverse("web:queue_console")).content.decode()
    assert 'data-testid="open-window"' in page
    q.issue(q.a, clock.now())
    q.issue(q.a, clock.now())
    _act(client, action="open")
    assert "A002" in client.get(reverse("web:queue_console_waiting")).content.decode()
    refused = _act(client, action="call", number="A002")
    assert any("A001" in m for m in refused)
    assert _act(client, action="call_next") == ["已叫号A001。"]
    page = client.get(reverse("web:queue_console")).content.decode()
    assert 'data-testid="current-number">A001<' in page and "?ticket=A001" in page
    assert any("原因" in m for m in _act(client, action="skip", number="A001", reason=""))
    assert _act(client, action="start", number="A001") == ["正在办理A001。"]
    assert _act(client, action="finish", number="A001") == ["A001已办结。"]
    _act(client, action="call_next")
    _act(client, action="transfer", number="A002", window=str(q.a01.pk), reason="专窗")
    assert Ticket.objects.get(number="A002").target_window_id == q.a01.pk
    assert _act(client, action="call_next") == ["暂无等候本窗口的群众。"]
    _act(client, action="away", message="现场踏勘", expected_return="23:59")
    assert "现场踏勘" in client.get(reverse("web:queue_console")).content.decode()


def test_a_clerk_without_a_window(client: Client, q: Queue) -> None:
    client.force_login(make_user("roaming", center=q.org.center, roles=("window_clerk",)))
    assert 'data-testid="no-window"' in client.get(reverse("web:queue_console")).content.decode()


def test_intake_links_the_case_to_the_ticket(client: Client, q: Queue) -> None:
    from onewindow.cases.tests.conftest import load_calendar_2026

    load_calendar_2026()
    version = make_item(q.org, code="SC001")
    client.force_login(q.clerk)
    q.issue(q.a, clock.now())
    _act(client, action="open")
    _act(client, action="call_next")
    page = client.get(reverse("web:intake"), {"ticket": "A001", "item": "SC001"}).content.decode()
    assert 'data-testid="intake-ticket"' in page
    answer = client.post(reverse("web:intake"), intake_form(version), follow=True)
    assert answer.status_code == 200
    ticket = Ticket.objects.get(number="A001")
    assert ticket.cases.count() == 1
    assert any("A001" in str(m) for m in answer.context["messages"])
