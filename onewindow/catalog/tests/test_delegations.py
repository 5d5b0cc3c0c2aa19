"""Window delegation (窗口授权): granting and revoking, who may, what is checked, the audit."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.catalog.delegations import (
    delegated_item_ids,
    window_delegation_grant,
    window_delegation_revoke,
    window_delegations,
)
from onewindow.catalog.models import WindowDelegation
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry
from onewindow.org.models import Window
from tests.factories import make_item


@pytest.mark.django_db
def test_grant_and_revoke_are_audited_and_kept_as_history(org: Any) -> None:
    item = make_item(org).item
    chief = org.user("scjg-chief")
    delegation = window_delegation_grant(actor=chief, window=org.general_window, item=item, note="即办件授权")
    assert (delegation.active, delegation.granted_by, delegation.note) == (True, chief, "即办件授权")
    assert delegated_item_ids(org.general_window.pk) == {item.pk}
    # granting again returns the active delegation (the demo loader is idempotent)
    assert window_delegation_grant(actor=None, window=org.general_window, item=item) == delegation
    assert WindowDelegation.objects.count() == 1
    grant = AuditEntry.objects.get(action="catalog.window_delegation_grant")
    assert grant.actor_id == chief.pk and grant.after["item_id"] == item.pk
    revoked = window_delegation_revoke(actor=org.user("centeradmin"), delegation=delegation, note="调整")
    assert (revoked.active, revoked.revoked_by) == (False, org.user("centeradmin"))
    assert revoked.revoked_at is not None
    assert delegated_item_ids(org.general_window.pk) == frozenset()
    assert list(window_delegations(org.general_window)) == []
    assert list(window_delegations(org.general_window, active_only=False)) == [revoked]
    entry = AuditEntry.objects.get(action="catalog.window_delegation_revoke")
    assert entry.before["active"] is True and entry.after["active"] is False
    # a new grant after the revocation is a new row; the old one stays as history
    again = window_delegation_grant(actor=chief, window=org.general_window, item=item)
    assert again.pk != revoked.pk and WindowDelegation.objects.count() == 2


@pytest.mark.django_db
def test_who_may_delegate(org: Any) -> None:
    scjg_item = make_item(org).item
    sw_item = make_item(org, department=org.dept_b).item
    for name in ("clerk", "scjg-reviewer", "scjg-approver", "supervisor"):
        with pytest.raises(PermissionDenied):
            window_delegation_grant(actor=org.user(name), window=org.general_window, item=scjg_item)
    with pytest.raises(PermissionDenied):  # a chief representative delegates their department's items
        window_delegation_grant(actor=org.user("scjg-chief"), window=org.general_window, item=sw_item)
    window_delegation_grant(actor=org.user("sw-chief"), window=org.general_window, item=sw_item)
    window_delegation_grant(actor=org.user("centeradmin"), window=org.general_window, item=scjg_item)
    assert WindowDelegation.objects.count() == 2


@pytest.mark.django_db
def test_the_window_must_accept_the_item(org: Any) -> None:
    sw_item = make_item(org, department=org.dept_b).item
    with pytest.raises(ValidationFailed) as caught:  # the SCJG window does not accept a tax item
        window_delegation_grant(actor=None, window=org.window_a, item=sw_item)
    assert caught.value.code == "delegation_invalid" and "item" in caught.value.details
    closed = Window.objects.create(center=org.center, code="Z09", name="已关闭窗口", active=False)
    with pytest.raises(ValidationFailed) as caught:
        window_delegation_grant(actor=None, window=closed, item=sw_item)
    assert "window" in caught.value.details
    assert WindowDelegation.objects.count() == 0


@pytest.mark.django_db
def test_admin_grants_and_revokes_through_the_services(client: Any, org: Any) -> None:
    from django.urls import reverse

    item = make_item(org).item
    sw_item = make_item(org, department=org.dept_b).item
    client.force_login(org.user("centeradmin"))
    add = reverse("admin:catalog_windowdelegation_add")
    assert client.get(add).status_code == 200
    response = client.post(add, {"window": org.window_a.pk, "item": sw_item.pk, "note": ""})
    assert response.status_code == 200 and "不受理此事项" in response.content.decode()
    response = client.post(add, {"window": org.general_window.pk, "item": item.pk, "note": "即办"})
    assert response.status_code == 302
    delegation = WindowDelegation.objects.get()
    assert delegation.granted_by == org.user("centeradmin") and delegation.note == "即办"
    assert AuditEntry.objects.filter(action="catalog.window_delegation_grant").count() == 1
    changelist = reverse("admin:catalog_windowdelegation_changelist")
    assert item.code in client.get(changelist).content.decode()
    client.post(changelist, {"action": "revoke", "_selected_action": [delegation.pk]})
    delegation.refresh_from_db()
    assert delegation.active is False
    client.force_login(org.user("auditor"))
    assert client.get(add).status_code == 403
