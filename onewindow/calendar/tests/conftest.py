from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Messages in English (the msgids), whatever the default language."""
    with translation.override("en"):
        yield
