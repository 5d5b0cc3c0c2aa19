"""The demo's bundle draft (onewindow/demo/online_bundles.py)."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.tests.conftest import calendar_2026  # noqa: F401
from onewindow.demo import online_bundles
from onewindow.demo.online_applications import PHONE
from onewindow.online.models import OnlineApplication
from onewindow.online.tests.conftest import bx  # noqa: F401
from tests.applicants import make_person


@pytest.mark.django_db
def test_the_demo_adds_one_bundle_draft_once(bx: Any) -> None:  # noqa: F811
    assert online_bundles.load(bx.center) == {"bundle_applications": 0}  # no demo citizen yet
    make_person(phone=PHONE, name="演示市民")
    assert online_bundles.load(bx.center) == {"bundle_applications": 1}
    assert online_bundles.load(bx.center) == {"bundle_applications": 0}
    draft = OnlineApplication.objects.get(bundle_code="QYKB")
    assert draft.status == "draft" and draft.answers == {"seal": "yes"}
