from __future__ import annotations

import pytest

from onewindow.core.errors import ValidationFailed
from onewindow.notifications.rendering import placeholders, render


def test_placeholders_in_order_of_first_use():
    assert placeholders("{b}{a} and {b} {{literal}}") == ["b", "a"]


def test_render_fills_every_placeholder_and_keeps_literal_braces():
    text = "您的办件{case_number}已受理 {{备注}} {case_number}"
    assert (
        render(text, {"case_number": "DEMO2026A", "extra": 1}) == "您的办件DEMO2026A已受理 {备注} DEMO2026A"
    )


def test_render_non_string_values():
    assert render("{n} 件", {"n": 3}) == "3 件"


def test_missing_placeholder_names_every_missing_one():
    with pytest.raises(ValidationFailed) as info:
        render("{case_number} {item_name} {due_date}", {"case_number": "X", "due_date": None})
    assert info.value.code == "missing_placeholder"
    assert set(info.value.details) == {"item_name", "due_date"}


@pytest.mark.parametrize(
    "text",
    ["{case.__class__}", "{items[0]}", "{case_number!r}", "{due_date:%Y}", "{}", "{0}", "单个 { 括号"],
)
def test_only_plain_names_are_allowed(text):
    with pytest.raises(ValidationFailed):
        placeholders(text)
