"""One test per rule, with its exact message (English msgids; one check of the translation)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from onewindow.catalog import rules
from onewindow.catalog.tests.conftest import instant_spec, item_spec

CODES = rules.CatalogCodes(
    departments={"SCJG": "市场监督管理局", "SW": "税务局"},
    windows={"A01": "SCJG", "Z01": None, "B01": "SW"},
    posts=frozenset({"accept", "review", "approve", "decide", "certify"}),
    themes=frozenset({"QYKB"}),
    items=frozenset({"SC-001", "SW-001"}),
)

pytestmark = pytest.mark.usefixtures("english")


def errors(spec):
    return [(e.field, e.message) for e in rules.check_item(spec, CODES)]


def test_valid_specs_have_no_errors():
    assert errors(item_spec()) == []
    assert errors(instant_spec()) == []


def test_promised_within_legal():
    assert errors(item_spec(legal_limit=10, promised_limit=12)) == [
        (
            "promised_limit",
            "Promised limit 12 exceeds the legal limit 10: "
            "the promised limit must not exceed the legal limit.",
        )
    ]


def test_promised_within_legal_in_chinese():
    with translation.override("zh-hans"):
        assert errors(item_spec(legal_limit=10, promised_limit=12)) == [
            ("promised_limit", "承诺时限 12 超过了法定时限 10：承诺时限不得超过法定时限。")
        ]


def test_steps_within_promised_limit():
    assert errors(item_spec(promised_limit=5)) == [
        (
            "steps",
            "The steps add up to 6 working days, more than the promised limit 5: "
            "shorten the steps or raise the promised limit.",
        )
    ]


def test_instant_item_has_promised_limit_zero():
    assert errors(instant_spec(promised_limit=1)) == [
        ("promised_limit", "An instant item is decided in one sitting: its promised limit must be 0, not 1.")
    ]


def test_instant_item_steps_have_no_limit():
    steps = [{"name": "受理并办结", "kind": "decide", "post_code": "accept", "limit_days": 1}]
    assert errors(instant_spec(legal_limit=2, steps=steps)) == [
        (
            "steps.1.limit_days",
            "Step 1 (受理并办结) has a limit of 1 days: every step of an instant item must have limit 0, "
            "because it is decided in one sitting.",
        )
    ]


def test_at_least_one_step():
    assert errors(item_spec(steps=[])) == [
        ("steps", "The process template has no step: add at least one step (e.g. 受理).")
    ]


def test_positions_consecutive_from_one():
    assert rules.check_positions([1, 2, 3], what="step") is None
    assert rules.check_positions([2, 1], what="step") is None
    assert (
        rules.check_positions([1, 3], what="step")
        == "The step positions must run 1, 2, 3 … without gaps or repeats: found 1, 3."
    )
    assert rules.check_positions([1, 1], what="material") is not None


def test_promised_item_needs_exactly_one_decision_step():
    steps = [s for s in item_spec()["steps"] if s["kind"] != "decide"]
    assert errors(item_spec(steps=steps)) == [
        ("steps", "A promised or joint item needs exactly one decision step (kind decide); this one has 0.")
    ]
    two = [
        *item_spec()["steps"],
        {"name": "再决定", "kind": "decide", "post_code": "decide", "limit_days": 0},
    ]
    assert errors(item_spec(handling_type="joint", steps=two)) == [
        ("steps", "A promised or joint item needs exactly one decision step (kind decide); this one has 2.")
    ]


def test_reported_item_needs_report_or_decision_step():
    steps = [{"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 1}]
    assert errors(item_spec(handling_type="reported", steps=steps)) == [
        ("steps", "A reported item needs a report or decision step (kind report or decide).")
    ]
    steps.append({"name": "上报", "kind": "report", "post_code": "approve", "limit_days": 1})
    assert errors(item_spec(handling_type="reported", steps=steps)) == []


def test_deemed_approval_days_at_least_one():
    assert errors(item_spec(deemed_approval_days=0)) == [
        (
            "deemed_approval_days",
            "Deemed approval after 0 days: it must be at least 1 working day, "
            "or empty for no deemed approval.",
        )
    ]
    assert errors(item_spec(deemed_approval_days=3)) == []


def test_valid_to_not_before_valid_from():
    assert errors(item_spec(valid_from=dt.date(2026, 5, 1), valid_to=dt.date(2026, 4, 30))) == [
        (
            "valid_to",
            "Valid to 2026-04-30 is before valid from 2026-05-01: "
            "the end date must not be before the start date.",
        )
    ]


def test_visits_required_at_most_five():
    assert errors(item_spec(visits_required=6)) == [
        ("visits_required", "On-site visits required is 6: it must be between 0 and 5.")
    ]


def test_codes_unique_within_a_center():
    assert rules.check_unique_codes(["A", "B", "A"], what="items") == [
        ("A", "Code A is used by 2 items: codes must be unique within a center.")
    ]
    assert rules.check_new_item_code("SC-001", CODES.items) == (
        "Code SC-001 is already used by an item of this center: codes must be unique within a center; "
        "edit that item (a new draft) instead."
    )
    assert rules.check_new_item_code("NEW-1", CODES.items) is None


def test_invalid_code():
    assert errors(item_spec(code="SC 001")) == [
        (
            "code",
            "Code SC 001 is not valid: use at most 40 letters, digits, '.', '-' or '_', "
            "starting with a letter or digit.",
        )
    ]


def test_unknown_department():
    assert errors(item_spec(department_code="GA")) == [
        ("department_code", "Unknown department GA: use the code of a department of this center.")
    ]


def test_unknown_window_and_window_of_another_department():
    assert errors(item_spec(window_code="X9")) == [
        ("window_code", "Unknown window X9: use the code of a window of this center, or leave it empty.")
    ]
    assert errors(item_spec(window_code="B01")) == [
        (
            "window_code",
            "Window B01 belongs to department SW: choose a window of department SCJG or a general window.",
        )
    ]
    assert errors(item_spec(window_code="Z01")) == []
    assert errors(item_spec(window_code="A01")) == []


def test_unknown_post():
    steps = item_spec()["steps"]
    steps[1]["post_code"] = "boss"
    assert errors(item_spec(steps=steps)) == [
        ("steps.2.post_code", "Unknown post boss: use the code of an existing post.")
    ]


def test_unknown_theme():
    assert errors(item_spec(themes=["QYKB", "XX"])) == [
        ("themes.2", "Unknown theme XX: create the theme first or remove it from the item.")
    ]


def test_material_names_unique():
    materials = [{"name": "营业执照"}, {"name": "营业执照", "form": "copy"}]
    assert errors(item_spec(materials=materials)) == [
        (
            "materials.2.name",
            "Material 营业执照 appears twice: material names must be unique within an item.",
        )
    ]


def test_shared_result_item_must_exist():
    materials = [{"name": "营业执照", "shared_result_item_code": "NOPE"}]
    assert errors(item_spec(materials=materials)) == [
        (
            "materials.1.shared_result_item_code",
            "Material 营业执照 is satisfied by the result of item NOPE, which does not exist: "
            "use the code of an existing item.",
        )
    ]
    materials = [{"name": "营业执照", "shared_result_item_code": "SW-001"}]
    assert errors(item_spec(materials=materials)) == []


def test_copies_at_least_one():
    materials = [{"name": "营业执照", "copies": 0}]
    assert errors(item_spec(materials=materials)) == [
        ("materials.1.copies", "Material 营业执照 has 0 copies: copies must be at least 1.")
    ]


def test_types_and_choices_are_checked():
    assert errors(item_spec(legal_limit="twenty", handling_type="fast", online_allowed="yes")) == [
        ("handling_type", "Unknown handling_type fast: use one of instant, promised, reported, joint."),
        ("legal_limit", "legal_limit must be a whole number, not twenty."),
        ("online_allowed", "online_allowed must be true or false, not yes."),
    ]
    assert errors({"code": "X"})[0] == ("name", "name is required: fill it in.")
