"""The QR code “扫码评价” on notices and receipts: the link of the occasion the notice stands for."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.cases import notice_pdf
from onewindow.cases.evaluation_links import evaluation_link
from onewindow.cases.models import Notice
from onewindow.cases.tests.conftest import at, intake, item, reach
from onewindow.feedback.links import evaluation_path, notice_occasion
from onewindow.feedback.models import ServiceOccasion
from onewindow.feedback.services import evaluation_submit
from onewindow.feedback.tokens import occasion_id_from

pytestmark = pytest.mark.django_db


def _token(url: str) -> int | None:
    return occasion_id_from(url.rstrip("/").rsplit("/", 1)[-1])


def test_the_acceptance_notice_carries_the_accepted_occasions_link(cx: Any) -> None:
    version = item(cx)
    with at("2026-11-02 10:00"):
        case = intake(cx, version)
    accepted = ServiceOccasion.objects.get(case=case, kind="accepted")
    notice = Notice.objects.get(case=case, kind="acceptance")
    client = Client()
    client.force_login(cx.user("clerk"))
    with at("2026-11-02 10:05"):
        url = evaluation_link(case, "acceptance")
        assert url.startswith("http") and _token(url) == accepted.pk
        assert url.endswith(evaluation_path(accepted.pk))
        page = client.get(
            reverse("web:case_notice", args=[case.display_number, notice.number])
        ).content.decode()
        assert 'data-testid="notice-evaluation-qr"' in page and url in page and "<svg" in page
        assert notice_pdf.notice_content(notice).evaluation_url == url
        assert notice_pdf.notice_pdf(notice).startswith(b"%PDF")
        # a decision notice stands for the completion, which has not happened
        assert evaluation_link(case, "decision") == ""
        assert evaluation_link(case, "extension") == ""
        evaluation_submit(occasion=accepted, level="satisfied", tags=[], text="", channel="qr_code")
        # once evaluated, printing again shows no QR code
        assert evaluation_link(case, "acceptance") == ""
        page = client.get(
            reverse("web:case_notice", args=[case.display_number, notice.number])
        ).content.decode()
        assert 'data-testid="notice-evaluation-qr"' not in page


def test_completion_and_the_proof_of_service_carry_the_completed_occasion(cx: Any) -> None:
    version = item(cx)
    with at("2026-11-02 10:00"):
        case = reach(cx, version, "delivered")
    completed = ServiceOccasion.objects.get(case=case, kind="completed")
    with at("2026-11-02 11:00"):
        assert notice_occasion(case, "decision") == completed
        assert _token(evaluation_link(case, "delivery")) == completed.pk
        client = Client()
        client.force_login(cx.user("clerk"))
        page = client.get(reverse("web:case_proof_of_service", args=[case.display_number])).content.decode()
        assert 'data-testid="notice-evaluation-qr"' in page
        assert evaluation_path(completed.pk) in page
    with at("2026-12-30 10:00"):  # the evaluation period is over
        assert evaluation_link(case, "delivery") == ""


def test_an_online_submission_receipt_points_at_the_submitted_occasion(cx: Any) -> None:
    version = item(cx)
    with at("2026-11-02 10:00"):
        case = reach(cx, version, "received")
        submitted = ServiceOccasion.objects.get(case=case, kind="submitted")
        assert _token(evaluation_link(case, "receipt")) == submitted.pk
        assert _token(evaluation_link(case, "acceptance")) == submitted.pk
