"""Situation-based choice of items (情形引导): the answers to a bundle's questions select the items
that apply to one applicant."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from onewindow.catalog.definitions import BundleDefinition, ItemDef, bundle_definition
from onewindow.catalog.models import Bundle, BundleItem
from onewindow.core.errors import ValidationFailed


def applicable_defs(definition: BundleDefinition, answers: Mapping[str, str]) -> list[ItemDef]:
    """The bundle's items that apply for these answers ({question key: option value}), in the
    bundle's order. An item applies when no option of any question selects it (it always applies)
    or when the chosen option of at least one question selects it. Every question must be answered
    with one of its options; a ValidationFailed names each missing or unknown answer."""
    errors: dict[str, list[str]] = {}
    chosen: set[int] = set()
    selectable: set[int] = set()
    for question in definition.questions:
        options = {o.value: o for o in question.options}
        for option in question.options:
            selectable.update(option.item_pks)
        answer = answers.get(question.key)
        field = f"answers.{question.key}"
        if answer in (None, ""):
            errors[field] = [_("Answer the question “%(question)s”.") % {"question": question.text}]
        elif not isinstance(answer, str) or answer not in options:
            errors[field] = [
                _("“%(answer)s” is not an answer to “%(question)s”: choose one of %(options)s.")
                % {
                    "answer": answer,
                    "question": question.text,
                    "options": "、".join(o.label for o in question.options),
                }
            ]
        else:
            chosen.update(options[answer].item_pks)
    known = {q.key for q in definition.questions}
    for key in sorted(set(answers) - known, key=str):
        errors[f"answers.{key}"] = [
            _("The bundle has no question %(key)s: remove this answer.") % {"key": key}
        ]
    if errors:
        raise ValidationFailed(_("Some situation questions are not answered correctly."), details=errors)
    return [item for item in definition.items if item.pk not in selectable or item.pk in chosen]


def applicable_items(bundle: Bundle, answers: Mapping[str, str]) -> list[BundleItem]:
    """`applicable_defs` as BundleItem rows (with their item and phase)."""
    wanted = [d.pk for d in applicable_defs(bundle_definition(bundle), answers)]
    rows = {bi.pk: bi for bi in bundle.bundle_items.select_related("item", "phase").filter(pk__in=wanted)}
    return [rows[pk] for pk in wanted]
