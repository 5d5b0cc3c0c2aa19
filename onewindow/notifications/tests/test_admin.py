from __future__ import annotations

import pytest
from django.urls import reverse

from onewindow.core.models import AuditEntry
from onewindow.notifications.models import MessageTemplate
from onewindow.notifications.services import message_enqueue
from tests.factories import PASSWORD

PHONE = "13812345678"


@pytest.fixture
def admin_client(client, org):
    user = org.user("centeradmin")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.login(username=user.username, password=PASSWORD)
    return client


def test_outbox_list_and_detail_show_masked_recipients(admin_client):
    message = message_enqueue(
        template_code="case_refused",
        recipient=PHONE,
        context={"center_name": "中心", "case_number": "N1", "item_name": "许可", "reason": f"电话{PHONE}"},
    )
    response = admin_client.get(reverse("admin:notifications_outboxmessage_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "138****5678" in html
    assert PHONE not in html
    detail = admin_client.get(
        reverse("admin:notifications_outboxmessage_change", args=[message.pk])
    ).content.decode()
    assert "138****5678" in detail
    assert PHONE not in detail


def test_outbox_is_read_only(admin_client):
    assert admin_client.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403


def test_template_edit_in_admin_is_audited(admin_client):
    template = MessageTemplate.objects.get(code="case_completed")
    url = reverse("admin:notifications_messagetemplate_change", args=[template.pk])
    response = admin_client.post(
        url, {"name": "办结", "channel": "sms", "text": "办件{case_number}已办结。", "active": "on"}
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.text == "办件{case_number}已办结。"
    assert AuditEntry.objects.filter(action="message_template.update", object_id=str(template.pk)).exists()


def test_template_with_bad_placeholder_is_rejected_with_a_message(admin_client):
    template = MessageTemplate.objects.get(code="case_completed")
    url = reverse("admin:notifications_messagetemplate_change", args=[template.pk])
    response = admin_client.post(
        url, {"name": "办结", "channel": "sms", "text": "{case.secret}", "active": "on"}
    )
    assert response.status_code == 200
    assert "errornote" in response.content.decode() or "errorlist" in response.content.decode()
    template.refresh_from_db()
    assert template.text != "{case.secret}"
    assert not AuditEntry.objects.filter(action="message_template.update").exists()


def test_staff_without_the_permission_cannot_see_the_outbox(client, org):
    user = org.user("clerk")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.login(username="clerk", password=PASSWORD)
    response = client.get(reverse("admin:notifications_outboxmessage_changelist"))
    assert response.status_code == 403
