"""The hall's notices: services with validation, permission, center, audit and the board; the
selector of what the screens show on a day; the page web:hall_notices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry
from onewindow.hall import notices
from onewindow.hall.board import board_version
from onewindow.hall.models import HallNotice
from onewindow.org.models import Center
from tests.factories import OrgFixture, make_user

pytestmark = pytest.mark.django_db
D = dt.date(2026, 12, 8)


@pytest.fixture
def admin(org: OrgFixture):  # type: ignore[no-untyped-def]
    return org.user("centeradmin")


def test_create_update_delete_with_audit_and_board(org: OrgFixture, admin) -> None:  # type: ignore[no-untyped-def]
    version = board_version(org.center.pk)
    notice = notices.hall_notice_create(
        center=org.center, actor=admin, text="  本中心工作时间：\n 8:30—17:30  ", position=2
    )
    assert notice.text == "本中心工作时间： 8:30—17:30" and notice.created_by == admin
    assert board_version(org.center.pk) == version + 1
    notices.hall_notice_update(
        notice=notice, actor=admin, text="元旦暂停服务", position=1, starts_on=D, ends_on=D, active=False
    )
    notice.refresh_from_db()
    assert (notice.text, notice.position, notice.active, notice.starts_on) == ("元旦暂停服务", 1, False, D)
    assert board_version(org.center.pk) == version + 2
    # the same values again: nothing changes, nothing recorded
    notices.hall_notice_update(
        notice=notice, actor=admin, text="元旦暂停服务", position=1, starts_on=D, ends_on=D, active=False
    )
    assert board_version(org.center.pk) == version + 2
    notices.hall_notice_delete(notice=notice, actor=admin)
    assert not HallNotice.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="hall_notice.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["hall_notice.create", "hall_notice.update", "hall_notice.delete"]
    update = AuditEntry.objects.get(action="hall_notice.update")
    assert update.before["text"] == "本中心工作时间： 8:30—17:30" and update.after["text"] == "元旦暂停服务"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": "字" * 301}, "text"),
        ({"text": "好", "position": 1000}, "position"),
        ({"text": "好", "starts_on": D, "ends_on": D - dt.timedelta(days=1)}, "ends_on"),
    ],
)
def test_validation_says_what_to_fix(org: OrgFixture, admin, fields: dict, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        notices.hall_notice_create(center=org.center, actor=admin, **fields)
    assert caught.value.code == "invalid_notice" and field in caught.value.details
    assert not HallNotice.objects.exists()


def test_only_the_centers_hall_managers(org: OrgFixture, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        notices.hall_notice_create(center=org.center, actor=org.user("clerk"), text="好")
    other = Center.objects.create(code="OTHER", name="他市政务服务中心", level="county")
    stranger = make_user("other-admin", center=other, roles=("center_admin",))
    notice = notices.hall_notice_create(center=org.center, actor=admin, text="好")
    with pytest.raises(PermissionDenied):
        notices.hall_notice_update(notice=notice, actor=stranger, text="坏")
    with pytest.raises(PermissionDenied):
        notices.hall_notice_delete(notice=notice, actor=stranger)


def test_the_notices_shown_on_a_day(org: OrgFixture, admin) -> None:  # type: ignore[no-untyped-def]
    always = notices.hall_notice_create(center=org.center, actor=admin, text="常驻", position=5)
    week = notices.hall_notice_create(
        center=org.center, actor=admin, text="本周", position=1, starts_on=D, ends_on=D + dt.timedelta(days=6)
    )
    notices.hall_notice_create(center=org.center, actor=admin, text="隐藏", active=False)
    notices.hall_notice_create(center=org.center, actor=admin, text="已过", ends_on=D - dt.timedelta(days=1))
    assert list(notices.notices_shown(org.center.pk, day=D)) == [week, always]
    assert list(notices.notices_shown(org.center.pk, day=D + dt.timedelta(days=7))) == [always]


def test_the_page(client: Client, org: OrgFixture, admin) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    url = reverse("web:hall_notices")
    client.force_login(admin)
    assert client.get(url).status_code == 200
    empty = client.post(url, {"text": "", "position": "0", "active": "1"})
    assert empty.status_code == 422 and 'data-testid="error-text"' in empty.content.decode()
    bad_day = client.post(url, {"text": "好", "position": "0", "starts_on": "2026-02-30"})
    assert bad_day.status_code == 422 and 'data-testid="error-starts_on"' in bad_day.content.decode()
    added = client.post(url, {"text": "请保管好排队小票", "position": "1", "active": "1"})
    assert added.status_code == 302
    notice = HallNotice.objects.get()
    assert notice.active and notice.text == "请保管好排队小票"
    assert "请保管好排队小票" in client.get(url).content.decode()
    edit = reverse("web:hall_notice_edit", args=[notice.pk])
    assert client.get(edit).status_code == 200
    saved = client.post(edit, {"text": "新文字", "position": "3", "ends_on": "2026-12-31"})
    assert saved.status_code == 302
    notice.refresh_from_db()
    assert (notice.text, notice.position, notice.active, notice.ends_on) == (
        "新文字",
        3,
        False,
        dt.date(2026, 12, 31),
    )
    assert client.post(reverse("web:hall_notice_delete", args=[notice.pk])).status_code == 302
    assert not HallNotice.objects.exists()
    client.force_login(org.user("supervisor"))
    assert client.get(url).status_code == 403
