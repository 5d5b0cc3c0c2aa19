"""Fixtures of the online application tests: an item open to online applications, applicants,
uploads of each type, and the 2026 calendar."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.cases.tests.conftest import calendar_2026, load_calendar_2026  # noqa: F401
from onewindow.catalog.models import ServiceItemVersion
from onewindow.identity.sessions import Applicant
from onewindow.online import prereview, services
from tests.applicants import make_enterprise, make_person, resident_id
from tests.factories import make_item

PDF = b"%PDF-1.4\n" + b"0" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 200
JPG = b"\xff\xd8\xff\xe0" + b"0" * 200
OFD = b"PK\x03\x04" + b"0" * 200


def pdf(
    name: str = "申请书.pdf", content: bytes = PDF, content_type: str = "application/pdf"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def online_item(org: Any, **kwargs: Any) -> ServiceItemVersion:
    version = make_item(org, **kwargs)
    ServiceItemVersion.objects.filter(pk=version.pk).update(online_allowed=True)
    from onewindow.cases.versions import clear_cache

    clear_cache()
    version.refresh_from_db()
    return version


@pytest.fixture
def ox(org: Any, calendar_2026: None) -> Any:  # noqa: F811
    org.version = online_item(org)
    org.person = make_person()
    org.citizen = Applicant(person=org.person)
    return org


def draft(ox: Any, applicant: Applicant | None = None, **form: Any) -> Any:
    return services.application_create(
        applicant=applicant or ox.citizen,
        center=ox.center,
        item_code=ox.version.item.code,
        form={"address": "测试市人民路1号", "delivery_method": "pickup", **form},
    )


def upload_all(
    ox: Any, application: Any, applicant: Applicant | None = None, *, required_only: bool = True
) -> None:
    for m in ox.version.materials.all():
        if required_only and m.requirement != "required":
            continue
        services.application_file_add(
            applicant=applicant or ox.citizen, pk=application.pk, material_id=m.pk, file=pdf(f"{m.name}.pdf")
        )


def submitted(ox: Any, applicant: Applicant | None = None) -> Any:
    applicant = applicant or ox.citizen
    application = draft(ox, applicant)
    upload_all(ox, application, applicant)
    application.refresh_from_db()
    return services.application_submit(applicant=applicant, pk=application.pk, version=application.version)


def review(ox: Any, application: Any, outcome: str, user: str = "clerk", **kwargs: Any) -> Any:
    application.refresh_from_db()
    return prereview.application_prereview(
        actor=ox.user(user), pk=application.pk, outcome=outcome, version=application.version, **kwargs
    )


__all__ = ["make_enterprise", "resident_id"]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def bx(org: Any, calendar_2026: None) -> Any:  # noqa: F811
    """The approvals tests' QYKB bundle (questions on), its items open to online applications;
    a person (`citizen`) and their enterprise (`company`, the person its legal representative)."""
    from onewindow.cases.versions import clear_cache
    from tests.approvals.conftest import build_world

    world = build_world(org, questions=True)
    ServiceItemVersion.objects.filter(pk__in=[v.pk for v in world.items.values()]).update(online_allowed=True)
    clear_cache()
    world.person = make_person()
    world.citizen = Applicant(person=world.person)
    world.enterprise = make_enterprise(legal_rep=world.person)
    world.company = Applicant(person=world.person, enterprise=world.enterprise)
    world.center = org.center
    world.user = org.user
    return world
