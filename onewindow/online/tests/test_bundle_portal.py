"""The public pages of a bundle applied for online: the guide page's button (or why not), sign-in
required, the answers → the items, the one form, uploads, submission, the accepted bundle's
number and its progress link, and "my cases"."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from onewindow.catalog.models import ServiceItemVersion
from onewindow.online.models import OnlineApplication
from onewindow.online.tests.bundle_fixtures import bundle_review
from onewindow.online.tests.conftest import PDF
from tests.applicants import sign_in


@pytest.mark.django_db
def test_the_guide_page_offers_online_application_or_says_why_not(bx: Any) -> None:
    page = Client().get(reverse("portal:bundle", args=["QYKB"])).content.decode()
    assert 'data-testid="apply-online"' in page and reverse("portal:apply_bundle", args=["QYKB"]) in page
    anonymous = Client().get(reverse("portal:apply_bundle", args=["QYKB"]))
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]
    ServiceItemVersion.objects.filter(pk=bx.items["SW-B1"].pk).update(online_allowed=False)
    from onewindow.cases.versions import clear_cache

    clear_cache()
    page = Client().get(reverse("portal:bundle", args=["QYKB"])).content.decode()
    assert 'data-testid="no-online"' in page and 'data-testid="apply-online"' not in page
    client = sign_in(Client(), bx.person)
    assert client.get(reverse("portal:apply_bundle", args=["QYKB"])).status_code == 404


@pytest.mark.django_db
def test_apply_for_a_bundle_through_the_pages(bx: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = sign_in(Client(), bx.person)
    start = client.get(reverse("portal:apply_bundle", args=["QYKB"]))
    assert start.status_code == 200 and 'data-testid="question-seal"' in start.content.decode()
    r = client.post(reverse("portal:apply_bundle", args=["QYKB"]), {"answer-seal": "yes"})
    application = OnlineApplication.objects.get()
    assert (
        r.status_code == 302 and application.bundle_code == "QYKB" and application.answers == {"seal": "yes"}
    )
    page = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    assert "GA事项" in page and 'data-testid="material-1"' in page
    saved = client.post(
        reverse("portal:application_save", args=[application.pk]),
        {
            "version": application.version,
            "answer-seal": "no",
            "field-company_name": "星河科技",
            "address": "人民路1号",
            "phone": bx.person.phone,
            "delivery_method": "pickup",
        },
        follow=True,
    ).content.decode()
    assert "GA事项" not in saved
    application.refresh_from_db()
    assert application.form["company_name"] == "星河科技"
    for position in (1, 2):
        up = client.post(
            reverse("portal:application_upload", args=[application.pk]),
            {
                "material": position,
                "file": SimpleUploadedFile("扫描件.pdf", PDF, content_type="application/pdf"),
            },
            follow=True,
        )
        assert up.status_code == 200
    application.refresh_from_db()
    f = application.bundle_files.first()
    download = client.get(reverse("portal:application_file", args=[application.pk, f.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    done = client.post(
        reverse("portal:application_submit", args=[application.pk]),
        {"version": application.version},
        follow=True,
    )
    application.refresh_from_db()
    assert application.status == "submitted", done.content.decode()[:3000]
    mine = client.get(reverse("portal:my_cases") + "?tab=submitted").content.decode()
    assert "企业开办一件事" in mine
    bundle_review(bx, application, "pass")
    page = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    application.refresh_from_db()
    number = application.bundle_case.number
    assert 'data-testid="bundle-number"' in page and number in page and 'data-testid="progress-link"' in page
    assert number in client.get(reverse("portal:my_cases")).content.decode()
