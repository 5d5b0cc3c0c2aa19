"""The demo complaints load through the services, in various states, once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from onewindow.cases.tests.conftest import at, calendar_2026, cx  # noqa: F401  (fixtures)
from onewindow.complaints.models import Complaint
from onewindow.demo import complaints as demo_complaints
from onewindow.supervision.models import AccountabilityRecord

pytestmark = pytest.mark.django_db


def test_demo_complaints(cx: Any) -> None:  # noqa: F811
    cx.window_a.code = "B02"
    cx.window_a.save(update_fields=["code"])
    with at("2026-11-16 12:00"), transaction.atomic():
        assert demo_complaints.load(cx.center) == {"complaints": 6}
        assert demo_complaints.load(cx.center) == {"complaints": 0}
    statuses = sorted(Complaint.objects.values_list("status", flat=True))
    assert statuses == ["answered", "closed", "closed", "investigating", "not_accepted", "registered"]
    assert AccountabilityRecord.objects.filter(subject_kind="complaint").count() == 1
