"""The department's pre-review pages: the queue (scope, marks), the detail with the files, the
outcomes through the form, and the 409 of a decision taken meanwhile."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.cases.tests.conftest import at
from onewindow.online.tests.conftest import review, submitted
from onewindow.org.models import User
from tests.factories import PASSWORD, make_user


def _staff(ox: Any, name: str = "clerk") -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_queue_detail_files_and_a_return_with_a_correction_list(ox: Any) -> None:
    with at("2026-03-05 10:00"):
        done = submitted(ox)
    with at("2026-03-06 12:00"):
        _reviewed_on_friday(ox, done)


def _reviewed_on_friday(ox: Any, done: Any) -> None:
    client = _staff(ox)
    page = client.get(reverse("web:prereview_queue")).content.decode()
    assert f'data-application="{done.pk}" data-level="yellow"' in page
    assert done.case.receipt_number in page and ox.person.id_number not in page
    detail = client.get(reverse("web:prereview_detail", args=[done.pk]))
    assert detail.status_code == 200 and 'data-testid="prereview-form"' in detail.content.decode()
    f = done.files.first()
    download = client.get(reverse("web:prereview_file", args=[done.pk, f.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    m = ox.version.materials.get(name="申请书")
    r = client.post(
        reverse("web:prereview_decide", args=[done.pk]),
        {"outcome": "return", "version": done.version, "correct": [m.pk], f"note-{m.pk}": "缺少签名"},
    )
    assert r.status_code == 302
    done.refresh_from_db()
    assert done.status == "returned"
    # a second reviewer with the old page
    r = client.post(
        reverse("web:prereview_decide", args=[done.pk]),
        {"outcome": "pass", "version": done.version - 1},
        follow=True,
    )
    assert done.status == "returned" and "刷新" in r.content.decode()


@pytest.mark.django_db
def test_without_the_permission_or_outside_the_scope(ox: Any) -> None:
    done = submitted(ox)
    assert _staff(ox, "scjg-reviewer").get(reverse("web:prereview_queue")).status_code == 403
    # a chief representative does not pre-review (passing accepts the case: a window clerk's right)
    assert _staff(ox, "sw-chief").get(reverse("web:prereview_queue")).status_code == 403
    make_user(  # may pre-review, but for another department
        "sw-clerk",
        center=ox.center,
        department=ox.dept_b,
        roles=("window_clerk",),
        posts=[ox.posts["accept"]],
        data_scope=User.Scope.DEPARTMENT,
    )
    sw_clerk = _staff(ox, "sw-clerk")
    assert sw_clerk.get(reverse("web:prereview_detail", args=[done.pk])).status_code == 404
    assert (
        sw_clerk.get(reverse("web:prereview_file", args=[done.pk, done.files.first().pk])).status_code == 404
    )
    assert Client().get(reverse("web:prereview_queue")).status_code == 302
    review(ox, done, "pass")
