"""The lead department's pre-review pages for a bundle application: the queue, the detail with
the situation, the one form and the files, a return with a correction list, the pass with the
link to the bundle case; another department does not see it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.approvals.models import BundleCase
from onewindow.online.tests.bundle_fixtures import bundle_submitted
from onewindow.org.models import User
from tests.factories import PASSWORD, make_user


def _staff(name: str = "clerk") -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_the_lead_department_reviews_a_bundle_through_the_pages(
    bx: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    done = bundle_submitted(bx)
    client = _staff()
    queue = client.get(reverse("web:prereview_queue")).content.decode()
    assert f'data-application="{done.pk}"' in queue and bx.enterprise.name in queue
    page = client.get(reverse("web:prereview_detail", args=[done.pk])).content.decode()
    assert "星河科技" in page and 'data-testid="correct-2"' in page and 'value="pass_originals"' not in page
    f = done.bundle_files.first()
    download = client.get(reverse("web:prereview_file", args=[done.pk, f.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    r = client.post(
        reverse("web:prereview_decide", args=[done.pk]),
        {"outcome": "return", "version": done.version, "correct": ["2"], "note-2": "不清晰"},
    )
    assert r.status_code == 302
    done.refresh_from_db()
    assert done.status == "returned" and done.rounds.get(number=1).corrections[0]["name"] == "身份证明"
    make_user(
        "sw-clerk",
        center=bx.center,
        department=bx.depts["SW"],
        roles=("window_clerk",),
        data_scope=User.Scope.DEPARTMENT,
    )
    other = _staff("sw-clerk")
    assert other.get(reverse("web:prereview_detail", args=[done.pk])).status_code == 404


@pytest.mark.django_db
def test_a_pass_links_the_bundle_case(bx: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    done = bundle_submitted(bx)
    client = _staff()
    client.post(reverse("web:prereview_decide", args=[done.pk]), {"outcome": "pass", "version": done.version})
    number = BundleCase.objects.get().number
    page = client.get(reverse("web:prereview_detail", args=[done.pk])).content.decode()
    assert reverse("web:bundle_case", args=[number]) in page
