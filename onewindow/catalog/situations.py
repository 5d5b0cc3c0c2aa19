"""Situation-based choice of items (情形引导): the answers to a bundle's questions select the items
that apply to one applicant."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from onewindow.catalog.models import Bundle, BundleItem
from onewindow.core.errors import ValidationFailed


def applicable_items(bundle: Bundle, answers: Mapping[str, str]) -> list[BundleItem]:
    """The bundle's items that apply for these answers ({question key: option value}), in the
    bundle's order. An item applies when no option of any question selects it (it always applies)
    or when the chosen option of at least one question selects it. Every question must be answered
    with one of its options; a ValidationFailed names each missing or unknown answer."""
    questions = list(bundle.questions.prefetch_related("options__items"))
    errors: dict[str, list[str]] = {}
    chosen: set[int] = set()
    selectable: set[int] = set()
    for question in questions:
        options = {o.value: o for o in question.options.all()}
        for option in options.values():
            selectable.update(bi.pk for bi in option.items.all())
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
                    "options": "、".join(o.label for o in options.values()),
                }
            ]
        else:
            chosen.update(bi.pk for bi in options[answer].items.all())
    known = {q.key for q in questions}
    for key in sorted(set(answers) - known, key=str):
        errors[f"answers.{key}"] = [
            _("The bundle has no question %(key)s: remove this answer.") % {"key": key}
        ]
    if errors:
        raise ValidationFailed(_("Some situation questions are not answered correctly."), details=errors)
    return [
        bi
        for bi in bundle.bundle_items.select_related("item", "phase")
        if bi.pk not in selectable or bi.pk in chosen
    ]
