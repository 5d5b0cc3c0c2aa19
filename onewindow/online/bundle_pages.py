"""What the applicant's page (and the public API) shows of a bundle application: the situation
questions with the answers, the items that apply, the one form's fields, the materials of the
applicable items with their uploads, the rounds and, once accepted, the bundle case. Read only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from onewindow.approvals.models import BundleCase
from onewindow.catalog.definitions import FieldDef, ItemDef, QuestionDef, bundle_definition
from onewindow.catalog.models import Bundle
from onewindow.online import bundles, pages
from onewindow.online.models import OnlineApplication, OnlineBundleFile, PreReviewRound

Status = OnlineApplication.Status


@dataclass(frozen=True)
class BundleMaterialView:
    position: int
    name: str
    requirement: str
    files: list[OnlineBundleFile]
    to_correct: str

    @property
    def required(self) -> bool:
        return self.requirement == "required"


@dataclass(frozen=True)
class FieldView:
    field: FieldDef
    value: str

    @property
    def choices(self) -> list[str]:
        return [c.strip() for c in self.field.choices.split("|") if c.strip()]


@dataclass(frozen=True)
class BundleApplicationView:
    application: OnlineApplication
    bundle: Bundle
    questions: list[tuple[QuestionDef, str]]
    items: list[ItemDef]
    item_names: list[str]
    fields: list[FieldView]
    materials: list[BundleMaterialView]
    answer_errors: dict[str, list[str]]
    rounds: list[PreReviewRound]
    next_step: str
    bundle_case: BundleCase | None


def next_step(application: OnlineApplication) -> str:
    if application.status == Status.ACCEPTED and application.bundle_case is not None:
        return _("Accepted: your bundle case number is %(number)s.") % {
            "number": application.bundle_case.number
        }
    if application.status == Status.DRAFT:
        return _("Answer the questions, fill in the one form, upload every required material, then submit.")
    return pages.next_step(application)


def item_names(bundle: Bundle, items: list[ItemDef]) -> list[str]:
    names = dict(bundle.bundle_items.values_list("item__code", "item__published_version__name"))
    return [str(names.get(bi.code, bi.code)) for bi in items]


def bundle_view(
    application: OnlineApplication, answers: dict[str, Any] | None = None
) -> BundleApplicationView:
    """The view of a bundle application; `answers` (the page's unsaved choice) overrides the
    stored answers for the items and materials shown."""
    bundle = bundles.bundle_of(application.center_id, application.bundle_code)
    definition = bundle_definition(bundle)
    chosen = dict(application.answers or {}) if answers is None else answers
    situation = bundles.situation(bundle, chosen)
    files = bundles.files_by_position(application)
    rounds = list(PreReviewRound.objects.filter(application=application).order_by("number"))
    corrections: dict[int, str] = {}
    if application.status == Status.RETURNED:
        last = next((r for r in reversed(rounds) if r.outcome == PreReviewRound.Outcome.RETURN), None)
        for entry in last.corrections if last else []:
            corrections[int(entry.get("material") or 0)] = str(entry.get("note") or "")
    form = application.form or {}
    return BundleApplicationView(
        application=application,
        bundle=bundle,
        questions=[(q, str(chosen.get(q.key) or "")) for q in definition.questions],
        items=situation.items,
        item_names=item_names(bundle, situation.items),
        fields=[FieldView(f, str(form.get(f.key) or "")) for f in definition.fields],
        materials=[
            BundleMaterialView(
                m.position, m.name, m.requirement, files.get(m.position, []), corrections.get(m.position, "")
            )
            for m in situation.materials
        ],
        answer_errors=situation.errors,
        rounds=rounds,
        next_step=next_step(application),
        bundle_case=application.bundle_case,
    )
