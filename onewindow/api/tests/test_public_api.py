"""The public progress lookup (api/public.py): the body it renders without Ninja's response
validation is exactly what PublicProgressOut would give, in every section, and the request
makes two queries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from ninja.responses import NinjaJSONEncoder

from onewindow.api.public import PublicProgressOut, progress_payload
from onewindow.cases import selectors
from onewindow.cases.tests.conftest import act, at, calendar_2026, handler, intake, item, items_of, reach

__all__ = ["calendar_2026"]  # a fixture the cases tests define, used here too

URL = "/api/v1/public/progress"


@pytest.fixture
def busy_case(org: Any, calendar_2026: None) -> Any:
    """A case with every section filled: steps done and active, an ended and an open pause, the
    open correction list and public events (and an internal opinion that must not show)."""
    cache.clear()
    version = item(org, promised_limit=10)
    with at("2026-09-01 10:00"):
        case = reach(org, version, "in_progress")
        case = act(case, "start_special_procedure", handler(org, case), kind="hearing", reason="听证")
    with at("2026-09-03 10:00"):
        case = act(case, "end_special_procedure", handler(org, case))
    with at("2026-09-04 10:00"):
        case = act(case, "pass_step", handler(org, case), opinion="内部意见：可以")
        case = act(case, "request_processing_correction", handler(org, case), items=items_of(version, 2))
    return case


def _schema_body(found: selectors.PublicProgress) -> bytes:
    """What Ninja renders for a PublicProgressOut response: validate, dump, JSON-encode."""
    dumped = PublicProgressOut.model_validate(progress_payload(found)).model_dump()
    return json.dumps(dumped, cls=NinjaJSONEncoder).encode()


@pytest.mark.django_db
def test_the_fast_body_is_what_the_schema_renders(busy_case: Any, django_assert_num_queries: Any) -> None:
    found = selectors.public_progress(busy_case.number, "5678")
    assert found is not None and found.pauses and found.corrections and found.events
    with django_assert_num_queries(2):
        response = Client().get(URL, {"number": busy_case.number, "code": "5678"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content == _schema_body(found)
    body = response.json()
    assert [p["kind"] for p in body["pauses"]] == ["hearing", "correction"]
    assert len(body["corrections"]) == 2 and body["events"][-1]["action"] == "request_processing_correction"
    assert body["events"][0]["at"].endswith("+08:00")  # local time, as before
    text = response.content.decode("unicode_escape")
    assert "内部意见" not in text and busy_case.applicant_phone not in text
    assert busy_case.applicant_id_number not in text and busy_case.applicant_name not in text


@pytest.mark.django_db
def test_a_case_awaiting_correction_by_its_receipt_number(org: Any, calendar_2026: None) -> None:
    cache.clear()
    version = item(org)
    with at("2026-09-01 10:00"):
        case = intake(org, version, action="correct", correction_items=items_of(version, 1))
    found = selectors.public_progress(case.receipt_number, "5678")
    assert found is not None and found.number == case.receipt_number and found.corrections
    response = Client().get(URL, {"number": case.receipt_number.lower(), "code": "5678"})
    assert response.status_code == 200 and response.content == _schema_body(found)
    assert response.json()["accepted_on"] is None and response.json()["steps"] == []  # not accepted yet
