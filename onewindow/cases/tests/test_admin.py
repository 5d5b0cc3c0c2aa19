"""The auditor reads the case events (the audit trail of cases) in the admin; nobody edits them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from onewindow.cases.models import CaseEvent
from onewindow.cases.tests.conftest import act, at, handler, intake, item


def test_auditor_reads_case_events_with_who_when_where(client: Any, cx: Any) -> None:
    version = item(cx)
    with at("2026-09-30 10:00"):
        case = intake(cx, version)
        act(case, "pass_step", handler(cx, case), opinion="材料齐全")
    auditor = cx.user("auditor")
    auditor.is_staff = True
    auditor.save(update_fields=["is_staff"])
    client.force_login(auditor)
    changelist = client.get(reverse("admin:cases_caseevent_changelist"), {"q": case.number})
    assert changelist.status_code == 200
    body = changelist.content.decode()
    assert case.number in body and "pass_step" in body and "accept" in body
    event = CaseEvent.objects.get(case=case, action="pass_step")
    detail = client.get(reverse("admin:cases_caseevent_change", args=[event.pk]))
    assert detail.status_code == 200 and "材料齐全" in detail.content.decode()
    # read-only: no add, change or delete
    assert client.get(reverse("admin:cases_caseevent_add")).status_code == 403
    assert (
        client.post(reverse("admin:cases_caseevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert CaseEvent.objects.filter(pk=event.pk).exists()
    home = client.get(reverse("web:home")).content.decode()
    assert 'data-nav="case_events"' in home


def test_other_staff_cannot_read_case_events_in_the_admin(client: Any, cx: Any) -> None:
    admin_user = cx.user("centeradmin")
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    client.force_login(admin_user)
    assert client.get(reverse("admin:cases_caseevent_changelist")).status_code == 403
    assert 'data-nav="case_events"' not in client.get(reverse("web:home")).content.decode()
