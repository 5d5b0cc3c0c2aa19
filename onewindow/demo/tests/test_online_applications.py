"""The demo's online applications (onewindow/demo/online_applications.py) load once."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.demo import online_applications
from onewindow.online.models import OnlineApplication
from onewindow.online.tests.conftest import online_item


@pytest.mark.django_db
def test_the_demo_loads_idempotently(org: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    assert online_applications.load(org.center) == {"online_applications": 0}  # no item online yet
    online_item(org)
    assert online_applications.load(org.center) == {"online_applications": 3}
    assert online_applications.load(org.center) == {"online_applications": 3}
    statuses = sorted(OnlineApplication.objects.values_list("status", flat=True))
    assert statuses == ["draft", "returned", "submitted"]
