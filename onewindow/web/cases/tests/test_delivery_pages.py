"""The pickup pages: the list of results waiting (per window, the late ones flagged), the
delivery form with its errors next to the fields, and the printable proof of service (送达回证)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from onewindow.cases.applicants import resident_id_check
from onewindow.cases.models import Case, CaseDelivery

from .conftest import ID_NUMBER, act, intake

pytestmark = pytest.mark.django_db

AGENT_ID = "32010219851111002" + resident_id_check("32010219851111002")
MASKED_AGENT_ID = AGENT_ID[:3] + "*" * 11 + AGENT_ID[-4:]


def completed(cx: Any, version: Any) -> Case:
    """A case of `version` driven through every step to completed (certificate JY0001)."""
    case = intake(cx, version)
    for who in ("scjg-reviewer", "scjg-approver"):  # accepting finished 受理
        act(case, "pass_step", cx.user(who))
    act(case, "grant", cx.user("scjg-approver"), opinion="准予")
    act(case, "issue_certificate", cx.user("scjg-certifier"), certificate_number="JY0001")
    return act(case, "complete", cx.user("clerk"))


def test_the_pickup_list_shows_the_windows_results_and_flags_the_late(client, cx, food):
    old = completed(cx, food)
    with time_machine.travel(dt.datetime(2026, 3, 20, 2, 0, tzinfo=dt.UTC), tick=False):  # Friday
        fresh = completed(cx, food)
        client.force_login(cx.user("clerk"))
        with override_settings(ONEWINDOW_PICKUP_WARN_DAYS=5):
            body = client.get(reverse("web:pickup")).content.decode()
    assert "待取件" in body  # the title, in Chinese
    rows = body.split('data-testid="pickup-list"')[1]
    assert rows.index(old.display_number) < rows.index(fresh.display_number)  # the longest waiting first
    old_row = rows.split(f'data-case="{old.display_number}"')[1].split("</tr>")[0]
    fresh_row = rows.split(f'data-case="{fresh.display_number}"')[1].split("</tr>")[0]
    assert ">14" in old_row and 'data-testid="pickup-late"' in old_row  # 3-20 March: 14 working days
    assert 'data-testid="pickup-late"' not in fresh_row
    assert ID_NUMBER not in body and ID_NUMBER[:3] + "*" * 11 + ID_NUMBER[-4:] in old_row
    assert reverse("web:case_deliver", args=[old.display_number]) in old_row
    assert f"{cx.general_window.name}（2）" in body  # the window filter, with its count
    # another window's results are behind the filter
    other = client.get(reverse("web:pickup"), {"window": cx.window_a.pk}).content.decode()
    assert old.display_number not in other


def test_delivery_form_says_what_to_fix_then_prints_the_proof_of_service(client, cx, food):
    case = completed(cx, food)
    client.force_login(cx.user("clerk"))
    url = reverse("web:case_deliver", args=[case.display_number])
    page = client.get(url)
    assert page.status_code == 200 and "领取人" in page.content.decode()
    response = client.post(
        url, {"version": case.version, "method": "pickup", "recipient_relation": "authorised_agent"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-testid="error-recipient_name"' in body and 'data-testid="error-recipient_id_number"' in body
    response = client.post(url, {"version": case.version, "method": "mail", "carrier": "EMS"})
    assert response.status_code == 422 and 'data-testid="error-tracking_number"' in response.content.decode()
    response = client.post(
        url,
        {
            "version": case.version,
            "method": "pickup",
            "recipient_relation": "authorised_agent",
            "recipient_name": "李四",
            "recipient_id_number": AGENT_ID,
            "tracking_number": "ignored for a pickup",
        },
    )
    proof_url = reverse("web:case_proof_of_service", args=[case.display_number])
    assert response.status_code == 302 and response["Location"] == proof_url
    row = CaseDelivery.objects.get(case=case)
    assert (row.recipient_name, row.recipient_id_number, row.tracking_number) == ("李四", AGENT_ID, "")
    body = client.get(proof_url).content.decode()
    assert "送达回证" in body and "测试市政务服务中心" in body and case.display_number in body
    assert "准予行政许可决定书" in body and "JY0001" in body
    assert MASKED_AGENT_ID in body and AGENT_ID not in body and ID_NUMBER not in body
    assert "委托代理人" in body and "2026年3月2日" in body and "签收人签名" in body
    case_page = client.get(reverse("web:case", args=[case.display_number])).content.decode()
    assert proof_url in case_page
    assert client.get(url).content.decode().count('data-testid="deliver-form"') == 0  # delivered


def test_a_mailed_result_prints_carrier_and_tracking_number(client, cx, food):
    case = completed(cx, food)
    client.force_login(cx.user("clerk"))
    case_page = client.get(reverse("web:case", args=[case.display_number])).content.decode()
    assert reverse("web:case_deliver", args=[case.display_number]) in case_page
    response = client.post(
        reverse("web:case_deliver", args=[case.display_number]),
        {"version": case.version, "method": "mail", "carrier": "EMS", "tracking_number": "1180001234567"},
    )
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "邮寄" in body and "EMS" in body and "1180001234567" in body and "签收人签名" in body


def test_the_proof_of_service_needs_a_delivery_and_delivering_needs_the_right(client, cx, food):
    case = completed(cx, food)
    client.force_login(cx.user("clerk"))
    assert client.get(reverse("web:case_proof_of_service", args=[case.display_number])).status_code == 404
    client.force_login(cx.user("scjg-reviewer"))
    assert client.get(reverse("web:case_deliver", args=[case.display_number])).status_code == 403
