"""Issue 13 §1, first part: situation questions (情形引导) as catalog data — the spec format, its
import and errors, and `applicable_items`. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from onewindow.catalog import selectors, services
from onewindow.catalog.models import BundleOption, BundleQuestion
from onewindow.catalog.situations import applicable_items
from onewindow.catalog.spec import bundle_spec as stored_spec
from onewindow.catalog.tests.conftest import bundle_spec, instant_spec, item_spec
from onewindow.core.errors import ValidationFailed

SEAL_QUESTION = {
    "key": "seal",
    "text": "是否需要刻制公章？",
    "options": [
        {"value": "yes", "label": "是", "item_codes": ["GA-001"]},
        {"value": "no", "label": "否", "item_codes": []},
    ],
}
INVOICE_QUESTION = {
    "key": "invoice",
    "text": "是否需要申领发票？",
    "options": [
        {"value": "yes", "label": "是", "item_codes": ["SW-001"]},
        {"value": "no", "label": "否", "item_codes": []},
    ],
}


def _publish_items(center: Any) -> None:
    for spec in (
        item_spec(),
        instant_spec(),
        item_spec(code="GA-001", name="公章刻制备案", department_code="GA"),
        item_spec(code="RS-001", name="社保登记", department_code="RS"),
    ):
        services.item_publish(version=services.item_save_draft(center=center, spec=spec))


def _bundle(org: Any, questions: list[dict[str, Any]]) -> Any:
    _publish_items(org.center)
    items = [{"item_code": code, "phase": None} for code in ("SC-001", "GA-001", "SW-001", "RS-001")]
    services.bundle_save(center=org.center, spec=bundle_spec(phases=[], items=items, questions=questions))
    return selectors.bundle_by_code("QYKB", center=org.center)


@pytest.fixture
def departments(org):
    from onewindow.org.models import Department

    for code, name in (("GA", "公安局"), ("RS", "人社局")):
        Department.objects.get_or_create(center=org.center, code=code, defaults={"name": name})
    return org


def _codes(items: list[Any]) -> list[str]:
    return [bi.item.code for bi in items]


@pytest.mark.parametrize(
    ("questions", "answers", "expected"),
    [
        ([], {}, ["SC-001", "GA-001", "SW-001", "RS-001"]),
        (
            [SEAL_QUESTION, INVOICE_QUESTION],
            {"seal": "yes", "invoice": "yes"},
            ["SC-001", "GA-001", "SW-001", "RS-001"],
        ),
        ([SEAL_QUESTION, INVOICE_QUESTION], {"seal": "no", "invoice": "yes"}, ["SC-001", "SW-001", "RS-001"]),
        ([SEAL_QUESTION, INVOICE_QUESTION], {"seal": "yes", "invoice": "no"}, ["SC-001", "GA-001", "RS-001"]),
        ([SEAL_QUESTION, INVOICE_QUESTION], {"seal": "no", "invoice": "no"}, ["SC-001", "RS-001"]),
    ],
    ids=["no-questions", "yes-yes", "no-yes", "yes-no", "no-no"],
)
def test_applicable_items(departments, questions, answers, expected):
    bundle = _bundle(departments, questions)
    assert _codes(applicable_items(bundle, answers)) == expected


def test_an_item_selected_by_two_questions_applies_when_either_selects_it(departments):
    food = {
        "key": "food",
        "text": "是否涉及食品经营？",
        "options": [
            {"value": "yes", "label": "是", "item_codes": ["SC-001", "SW-001"]},
            {"value": "no", "label": "否", "item_codes": []},
        ],
    }
    bundle = _bundle(departments, [food, INVOICE_QUESTION])
    assert _codes(applicable_items(bundle, {"food": "no", "invoice": "yes"})) == [
        "GA-001",
        "SW-001",
        "RS-001",
    ]
    assert _codes(applicable_items(bundle, {"food": "no", "invoice": "no"})) == ["GA-001", "RS-001"]


@pytest.mark.parametrize(
    ("answers", "details"),
    [
        ({"seal": "yes"}, {"answers.invoice": ["Answer the question “是否需要申领发票？”."]}),
        (
            {"seal": "maybe", "invoice": ""},
            {
                "answers.seal": ["“maybe” is not an answer to “是否需要刻制公章？”: choose one of 是、否."],
                "answers.invoice": ["Answer the question “是否需要申领发票？”."],
            },
        ),
        (
            {"seal": "yes", "invoice": "no", "food": "yes"},
            {"answers.food": ["The bundle has no question food: remove this answer."]},
        ),
    ],
    ids=["missing", "unknown-and-empty", "extra"],
)
def test_applicable_items_names_each_wrong_answer(departments, answers, details):
    bundle = _bundle(departments, [SEAL_QUESTION, INVOICE_QUESTION])
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        applicable_items(bundle, answers)
    assert exc.value.details == details


def test_wrong_answers_are_translated(departments):
    bundle = _bundle(departments, [SEAL_QUESTION, INVOICE_QUESTION])
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as exc:
        applicable_items(bundle, {"seal": "yes"})
    assert exc.value.details == {"answers.invoice": ["请回答问题“是否需要申领发票？”。"]}


def test_spec_import_stores_questions_and_round_trips(departments):
    bundle = _bundle(departments, [SEAL_QUESTION, INVOICE_QUESTION])
    assert [(q.key, q.position) for q in BundleQuestion.objects.filter(bundle=bundle)] == [
        ("seal", 1),
        ("invoice", 2),
    ]
    yes = BundleOption.objects.get(question__key="seal", value="yes")
    assert [bi.item.code for bi in yes.items.all()] == ["GA-001"]
    assert stored_spec(bundle)["questions"] == [SEAL_QUESTION, INVOICE_QUESTION]
    # Saving the same spec again changes nothing; a new spec replaces the questions.
    items = [{"item_code": code, "phase": None} for code in ("SC-001", "GA-001", "SW-001", "RS-001")]
    services.bundle_save(
        center=departments.center,
        spec=bundle_spec(phases=[], items=items, questions=[INVOICE_QUESTION]),
    )
    assert list(BundleQuestion.objects.filter(bundle=bundle).values_list("key", flat=True)) == ["invoice"]
    assert BundleOption.objects.filter(question__bundle=bundle).count() == 2


def test_catalog_import_carries_questions(departments):
    _publish_items(departments.center)
    items = [{"item_code": code, "phase": None} for code in ("SC-001", "GA-001", "SW-001", "RS-001")]
    spec = bundle_spec(phases=[], items=items, questions=[SEAL_QUESTION])
    result = services.catalog_import_specs(center=departments.center, themes=[], items=[], bundles=[spec])
    assert result.bundles_created == 1
    again = services.catalog_import_specs(center=departments.center, themes=[], items=[], bundles=[spec])
    assert again.bundles_unchanged == 1
    bundle = selectors.bundle_by_code("QYKB", center=departments.center)
    assert _codes(applicable_items(bundle, {"seal": "no"})) == ["SC-001", "SW-001", "RS-001"]


@pytest.mark.parametrize(
    ("questions", "details"),
    [
        (
            [SEAL_QUESTION, SEAL_QUESTION],
            {
                "questions.2.key": [
                    "Question seal appears twice: question keys must be unique within a bundle."
                ]
            },
        ),
        (
            [{"key": "seal", "text": "", "options": [{"value": "yes", "label": "是"}]}],
            {
                "questions.1.text": ["text is required: fill it in."],
                "questions.1.options": [
                    "Question seal has fewer than two options: list the answers it offers."
                ],
            },
        ),
        (
            [
                {
                    "key": "seal",
                    "text": "是否需要刻制公章？",
                    "options": [
                        {"value": "yes", "label": "是", "item_codes": ["XX-999"]},
                        {"value": "yes", "label": "", "item_codes": []},
                    ],
                }
            ],
            {
                "questions.1.options.1.item_codes": [
                    "Question seal selects item XX-999, which is not in the bundle: add the item first."
                ],
                "questions.1.options.2.value": [
                    "Question seal offers option yes twice: option values must be unique."
                ],
                "questions.1.options.2.label": ["label is required: fill it in."],
            },
        ),
        (
            [
                {
                    "key": "a b",
                    "text": "问题？",
                    "options": [{"value": "是", "label": "是"}, {"value": "n", "label": "否"}],
                }
            ],
            {
                "questions.1.key": ["Question key a b is not valid: use letters, digits, '-' or '_'."],
                "questions.1.options.1.value": [
                    "Option value 是 is not valid: use letters, digits, '-' or '_'."
                ],
            },
        ),
    ],
    ids=["duplicate-key", "no-text-one-option", "unknown-item-duplicate-value", "bad-key-and-value"],
)
def test_spec_question_errors_say_what_to_fix(departments, questions, details):
    _publish_items(departments.center)
    items = [{"item_code": code, "phase": None} for code in ("SC-001", "GA-001", "SW-001", "RS-001")]
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        services.bundle_save(
            center=departments.center, spec=bundle_spec(phases=[], items=items, questions=questions)
        )
    assert exc.value.details == details
    assert not BundleQuestion.objects.exists()
