"""“My cases” in the online hall: each occasion's evaluation state and its “评价” button."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.cases.tests.conftest import at, intake, item, resident_id
from onewindow.feedback.links import evaluation_path
from onewindow.feedback.models import ServiceOccasion
from onewindow.feedback.services import evaluation_submit
from onewindow.identity.models import RealNameLevel
from tests.applicants import make_person, sign_in

pytestmark = pytest.mark.django_db


def test_my_case_shows_each_occasion_with_an_evaluate_button(cx: Any) -> None:
    version = item(cx)
    person = make_person(id_number=resident_id(), real_name_level=RealNameLevel.CONSISTENT)
    with at("2026-11-02 10:00"):
        case = intake(cx, version)
    occasion = ServiceOccasion.objects.get(case=case)
    client = sign_in(Client(), person)
    url = reverse("portal:my_case", args=[case.display_number])
    with at("2026-11-02 11:00"):
        page = client.get(url).content.decode()
        assert 'data-testid="my-case-evaluations"' in page
        assert 'data-testid="my-occasion-evaluate"' in page
        assert evaluation_path(occasion.pk) in page
        evaluation_submit(occasion=occasion, level="very_satisfied", tags=[], text="", channel="pc")
        page = client.get(url).content.decode()
    assert 'data-testid="my-occasion-evaluate"' not in page
    assert 'data-testid="my-occasion-evaluated"' in page
