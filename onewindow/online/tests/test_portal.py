"""The public pages: the item's "apply online" button, sign-in required, a draft with uploads,
submission, the correction list and resubmission, the accepted case and its notice."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from onewindow.online.models import OnlineApplication
from onewindow.online.tests.conftest import PDF, review
from tests.applicants import make_enterprise, make_person, resident_id, sign_in


def _upload(client: Client, pk: int, material: int, content: bytes = PDF) -> Any:
    return client.post(
        reverse("portal:application_upload", args=[pk]),
        {
            "material": material,
            "file": SimpleUploadedFile("扫描件.pdf", content, content_type="application/pdf"),
        },
        follow=True,
    )


@pytest.mark.django_db
def test_the_item_page_offers_online_application_and_sign_in_is_required(ox: Any) -> None:
    page = Client().get(reverse("portal:item", args=[ox.version.item.code]))
    assert 'data-testid="apply-online"' in page.content.decode()
    anonymous = Client().get(reverse("portal:apply_item", args=[ox.version.item.code]))
    assert anonymous.status_code in (302, 403)
    if anonymous.status_code == 302:
        assert "next=" in anonymous["Location"]


@pytest.mark.django_db
def test_apply_upload_submit_correct_and_see_the_accepted_case(ox: Any) -> None:
    client = sign_in(Client(), ox.person)
    start = client.get(reverse("portal:apply_item", args=[ox.version.item.code]))
    assert start.status_code == 200 and "张三" in start.content.decode()
    r = client.post(
        reverse("portal:apply_item", args=[ox.version.item.code]),
        {"address": "人民路1号", "phone": ox.person.phone, "delivery_method": "pickup", "note": ""},
    )
    application = OnlineApplication.objects.get()
    assert r.status_code == 302 and r["Location"].startswith(
        reverse("portal:application", args=[application.pk])
    )
    materials = {m.name: m.pk for m in ox.version.materials.all()}
    bad = _upload(client, application.pk, materials["申请书"], b"MZ not a pdf")
    assert "PDF" in bad.content.decode() and not application.files.exists()
    early = client.post(
        reverse("portal:application_submit", args=[application.pk]), {"version": 1}, follow=True
    )
    assert "营业执照" in early.content.decode()
    for name in ("申请书", "营业执照"):
        assert _upload(client, application.pk, materials[name]).status_code == 200
    application.refresh_from_db()
    page = client.post(
        reverse("portal:application_submit", args=[application.pk]),
        {
            "version": application.version,
            "address": "人民路1号",
            "phone": ox.person.phone,
            "delivery_method": "pickup",
        },
        follow=True,
    )
    application.refresh_from_db()
    assert application.status == "submitted" and application.case.receipt_number in page.content.decode()
    review(ox, application, "return", corrections=[{"material": materials["申请书"], "note": "缺少签名"}])
    page = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    assert "缺少签名" in page and 'data-testid="correction-list"' in page
    _upload(client, application.pk, materials["申请书"])
    application.refresh_from_db()
    client.post(
        reverse("portal:application_submit", args=[application.pk]),
        {
            "version": application.version,
            "address": "人民路1号",
            "phone": ox.person.phone,
            "delivery_method": "pickup",
        },
    )
    application.refresh_from_db()
    assert application.status == "submitted" and application.round == 2
    review(ox, application, "pass")
    page = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    application.refresh_from_db()
    assert application.case.number in page and 'data-testid="acceptance-notice"' in page
    f = application.files.first()
    download = client.get(reverse("portal:application_file", args=[application.pk, f.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    stranger = sign_in(Client(), make_person(phone="13900139000", id_number=resident_id("11010119850101123")))
    assert stranger.get(reverse("portal:application", args=[application.pk])).status_code == 404
    assert stranger.get(reverse("portal:application_file", args=[application.pk, f.pk])).status_code == 404


@pytest.mark.django_db
def test_an_agent_applies_for_an_enterprise(ox: Any) -> None:
    boss = make_person(phone="13700137000", name="李四", id_number=resident_id("11010119700101123"))
    agent = make_person(phone="13600136000", name="王五", id_number=resident_id("11010119920202123"))
    company = make_enterprise(boss, agents=(agent,))
    client = sign_in(Client(), agent, company)
    page = client.get(reverse("portal:apply_item", args=[ox.version.item.code])).content.decode()
    assert company.name in page and "李四" in page and "王五" in page
