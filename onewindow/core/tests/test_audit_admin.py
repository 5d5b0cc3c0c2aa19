from __future__ import annotations

import pytest
from django.urls import reverse

from onewindow.core import audit
from onewindow.core.models import AuditEntry
from tests.factories import PASSWORD


def results(response) -> str:
    """The result table of a change list (not the filter sidebar)."""
    html = response.content.decode()
    start = html.index('id="result_list"')
    return html[start : html.index("</table>", start)]


def login_as(client, user):
    user.is_staff = True  # what the account services set for administrator roles
    user.save()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def entries(org):
    audit.record(
        action="center.update",
        obj=org.center,
        before={"name": "旧"},
        after={"name": "新"},
        actor=org.user("sysadmin"),
    )
    audit.record(
        action="department.create", obj=org.dept_a, after={"code": "SCJG"}, actor=org.user("centeradmin")
    )
    return AuditEntry.objects.all()


@pytest.mark.django_db
def test_the_auditor_reads_the_trail_with_filters_and_search(client, org, entries):
    login_as(client, org.user("auditor"))
    url = reverse("admin:core_auditentry_changelist")
    everything = results(client.get(url))
    assert "center.update" in everything and "department.create" in everything
    by_action = results(client.get(url, {"action": "department.create"}))
    assert "department.create" in by_action and "center.update" not in by_action
    by_type = results(client.get(url, {"object_type": "org.center"}))
    assert "测试市政务服务中心" in by_type and "department.create" not in by_type
    by_actor = results(client.get(url, {"actor__id__exact": org.user("sysadmin").pk}))
    assert "center.update" in by_actor and "department.create" not in by_actor
    search = results(client.get(url, {"q": "市场监督"}))
    assert "department.create" in search and "center.update" not in search
    by_date = client.get(url, {"at__gte": "2000-01-01", "at__lt": "2100-01-01"})
    assert "center.update" in results(by_date)
    detail = client.get(
        reverse("admin:core_auditentry_change", args=[entries.get(action="center.update").pk])
    )
    assert detail.status_code == 200 and "旧" in detail.content.decode()


@pytest.mark.django_db
def test_nobody_adds_changes_or_deletes_entries(client, org, entries):
    login_as(client, org.user("auditor"))
    entry = entries.first()
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert client.get(reverse("admin:core_auditentry_delete", args=[entry.pk])).status_code == 403
    before = AuditEntry.objects.count()
    client.post(reverse("admin:core_auditentry_change", args=[entry.pk]), {"action": "forged"})
    assert AuditEntry.objects.get(pk=entry.pk).action != "forged"
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["secadmin", "sysadmin", "centeradmin"])
def test_other_administrators_do_not_see_the_trail(client, org, entries, name):
    login_as(client, org.user(name))
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 403
    assert "core/auditentry" not in client.get("/admin/").content.decode()
