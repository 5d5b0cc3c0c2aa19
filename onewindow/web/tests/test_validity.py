"""An item's validity with an open end reads 长期有效, never "– —" (issue 11, §1.9)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tests.factories import make_item

START, END = dt.date(2026, 1, 1), dt.date(2027, 12, 31)
CASES = [
    (START, END, "2026-01-01 – 2027-12-31", "2026-01-01 – 2027-12-31"),
    (START, None, "2026-01-01 起长期有效", "from 2026-01-01, long-term"),
    (None, END, "至 2027-12-31", "until 2027-12-31"),
    (None, None, "长期有效", "long-term (no end date)"),
]


@pytest.mark.parametrize("template", ["web/includes/validity.html", "portal/includes/validity.html"])
@pytest.mark.parametrize(("start", "end", "zh", "en"), CASES)
def test_validity_text(template, start, end, zh, en):
    version = SimpleNamespace(valid_from=start, valid_to=end)
    with translation.override("zh-hans"):
        assert render_to_string(template, {"version": version}).strip() == zh
    with translation.override("en"):
        assert render_to_string(template, {"version": version}).strip() == en


@pytest.mark.django_db
def test_item_page_shows_long_term_validity(client, org):
    version = make_item(org, code="LT001")
    version.valid_from = START
    version.save(update_fields=["valid_from"])
    client.force_login(org.user("clerk"))
    body = client.get(reverse("web:item", args=["LT001"])).content.decode()
    assert 'data-testid="validity">2026-01-01 起长期有效</dd>' in body
    assert "– —" not in body
