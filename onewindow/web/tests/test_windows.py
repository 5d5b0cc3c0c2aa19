"""The window pages: the windows of the center, one window with its clerks, the items it
accepts and its delegations (窗口授权), granted and revoked there by a chief representative."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onewindow.catalog.delegations import window_delegation_grant
from onewindow.catalog.models import WindowDelegation
from tests.factories import make_item

pytestmark = pytest.mark.django_db


def test_the_clerk_sees_their_window_with_its_items_and_delegations(client, org):
    instant = make_item(org, code="SCJG-002", name="个体工商户设立登记", handling_type="instant")
    promised = make_item(org, code="SW-001", department=org.dept_b, name="税务登记")
    window_delegation_grant(actor=None, window=org.general_window, item=instant.item, note="当场办结")
    client.force_login(org.user("clerk"))
    home = client.get(reverse("web:home")).content.decode()
    assert 'data-nav="windows"' in home
    listing = client.get(reverse("web:windows")).content.decode()
    assert 'data-window="Z01"' in listing and 'data-testid="own-window"' in listing
    body = client.get(reverse("web:window", args=["z01"])).content.decode()
    assert 'data-testid="own-window"' in body and "窗口授权" in body
    staff = body.split('data-testid="window-staff"')[1].split("</ul>")[0]
    assert "clerk" in staff
    delegations = body.split('data-testid="delegations"')[1].split("</table>")[0]
    assert 'data-delegation="SCJG-002"' in delegations and "当场办结" in delegations
    assert "SW-001" not in delegations
    accepted = body.split('data-testid="accepted-items"')[1].split("</table>")[0]
    assert 'data-item="SCJG-002"' in accepted and 'data-item="SW-001"' in accepted  # a general window
    assert 'data-testid="grant-form"' not in body and "revoke-" not in body  # a clerk cannot delegate
    assert client.post(reverse("web:window", args=["Z01"]), {"item": promised.item_id}).status_code == 403
    # the SCJG window accepts only its department's items
    body = client.get(reverse("web:window", args=["A01"])).content.decode()
    accepted = body.split('data-testid="accepted-items"')[1].split("</table>")[0]
    assert "SCJG-002" in accepted and "SW-001" not in accepted
    assert client.get(reverse("web:window", args=["X99"])).status_code == 404


def test_a_chief_grants_and_revokes_on_the_window_page(client, org):
    scjg = make_item(org, code="SCJG-002", handling_type="instant")
    sw = make_item(org, code="SW-001", department=org.dept_b)
    client.force_login(org.user("scjg-chief"))
    url = reverse("web:window", args=["Z01"])
    body = client.get(url).content.decode()
    assert 'data-testid="grant-form"' in body
    grant_form = body.split('data-testid="grant-form"')[1].split("</form>")[0]
    assert "SCJG-002" in grant_form and "SW-001" not in grant_form  # their department's items only
    response = client.post(url, {"item": scjg.item_id, "note": "即办件"}, follow=True)
    assert "已授权窗口" in response.content.decode()
    delegation = WindowDelegation.objects.get(active=True)
    assert (delegation.item, delegation.granted_by, delegation.note) == (
        scjg.item,
        org.user("scjg-chief"),
        "即办件",
    )
    # another department's item: refused with a message, nothing written
    response = client.post(url, {"item": sw.item_id}, follow=True)
    assert "您只能授权本部门的事项" in response.content.decode()
    assert WindowDelegation.objects.count() == 1
    response = client.post(url, {"revoke": delegation.pk}, follow=True)
    assert "已撤销授权" in response.content.decode()
    delegation.refresh_from_db()
    assert delegation.active is False
