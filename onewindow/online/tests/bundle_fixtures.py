"""Helpers of the bundle tests (the fixture `bx` is in conftest.py)."""

from __future__ import annotations

from typing import Any

from onewindow.catalog.models import Bundle
from onewindow.identity.sessions import Applicant
from onewindow.online import bundles, prereview
from onewindow.online.tests.conftest import pdf


def bundle_draft(bx: Any, applicant: Applicant | None = None, **answers: Any) -> Any:
    return bundles.bundle_application_create(
        applicant=applicant or bx.company,
        center=bx.center,
        bundle_code=bx.bundle.code,
        answers={"seal": "no", **answers},
        form={"company_name": "星河科技", "address": "示范市人民路1号", "delivery_method": "pickup"},
    )


def bundle_submitted(bx: Any, applicant: Applicant | None = None, **answers: Any) -> Any:
    applicant = applicant or bx.company
    application = bundle_draft(bx, applicant, **answers)
    for position in (1, 2):
        bundles.bundle_file_add(
            applicant=applicant, pk=application.pk, material=position, file=pdf(f"材料{position}.pdf")
        )
    application.refresh_from_db()
    return bundles.bundle_application_submit(
        applicant=applicant, pk=application.pk, version=application.version
    )


def bundle_review(bx: Any, application: Any, outcome: str, user: str = "clerk", **kwargs: Any) -> Any:
    application.refresh_from_db()
    return prereview.application_prereview(
        actor=bx.user(user), pk=application.pk, outcome=outcome, version=application.version, **kwargs
    )


def first_bundle(center: Any) -> Bundle:
    return Bundle.objects.get(center=center, code="QYKB")
