"""Frequent questions of a service item (常见问题): added, edited, ordered and published by the
item department's chief representative (consultations.manage_faq, the department in scope)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.catalog.models import ServiceItem
from onewindow.consultations.models import FrequentQuestion
from onewindow.core import audit, clock
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed
from onewindow.org.models import User
from onewindow.org.selectors import in_data_scope

MANAGE = "consultations.manage_faq"
QUESTION_MAX = 300
ANSWER_MAX = 4000


def may_manage(actor: Any, item: ServiceItem) -> bool:
    version = item.published_version
    department_id = version.department_id if version is not None else None
    return bool(
        isinstance(actor, User)
        and actor.has_perm(MANAGE)
        and in_data_scope(actor, center_id=item.center_id, department_id=department_id)
    )


def _check(actor: Any, item: ServiceItem) -> None:
    if not may_manage(actor, item):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": MANAGE})


def _clean(question: Any, answer: Any) -> tuple[str, str]:
    details: dict[str, list[str]] = {}
    q = (question if isinstance(question, str) else "").strip()
    a = (answer if isinstance(answer, str) else "").strip()
    for field, value, limit in (("question", q, QUESTION_MAX), ("answer", a, ANSWER_MAX)):
        if not value:
            details[field] = [_("Required.")]
        elif len(value) > limit:
            details[field] = [_("Enter at most %(max_length)s characters.") % {"max_length": limit}]
    if details:
        raise ValidationFailed(_("Check the frequent question."), details=details)
    return q, a


@transaction.atomic
def faq_add(
    *, actor: Any, item: ServiceItem, question: str, answer: str, published: bool = False
) -> FrequentQuestion:
    _check(actor, item)
    q, a = _clean(question, answer)
    last = (
        FrequentQuestion.objects.filter(item=item)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    faq = FrequentQuestion.objects.create(
        item=item, question=q, answer=a, published=published, position=(last or 0) + 1, updated_at=clock.now()
    )
    audit.record(action="faq.add", obj=faq, actor=actor, after={"item": item.code, "published": published})
    return faq


def _faq(item: ServiceItem, faq_id: int) -> FrequentQuestion:
    faq = FrequentQuestion.objects.select_for_update().filter(pk=faq_id, item=item).first()
    if faq is None:
        raise NotFound(_("No such frequent question."))
    return faq


@transaction.atomic
def faq_edit(
    *, actor: Any, item: ServiceItem, faq_id: int, question: str, answer: str, published: bool
) -> FrequentQuestion:
    _check(actor, item)
    faq = _faq(item, faq_id)
    q, a = _clean(question, answer)
    before = {"question": faq.question, "published": faq.published}
    faq.question, faq.answer, faq.published, faq.updated_at = q, a, published, clock.now()
    faq.save(update_fields=["question", "answer", "published", "updated_at"])
    audit.record(
        action="faq.edit", obj=faq, actor=actor, before=before, after={"question": q, "published": published}
    )
    return faq


@transaction.atomic
def faq_move(*, actor: Any, item: ServiceItem, faq_id: int, up: bool) -> None:
    """Swap the question with its neighbour above (up) or below."""
    _check(actor, item)
    rows = list(FrequentQuestion.objects.select_for_update().filter(item=item).order_by("position", "id"))
    index = next((i for i, row in enumerate(rows) if row.pk == faq_id), None)
    if index is None:
        raise NotFound(_("No such frequent question."))
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=1):
        row.position = position
    FrequentQuestion.objects.bulk_update(rows, ["position"])
    audit.record(action="faq.move", obj=rows[other], actor=actor, after={"up": up})
