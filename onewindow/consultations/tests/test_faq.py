"""Frequent questions: only the item department's chief representative manages them."""

from __future__ import annotations

import pytest

from onewindow.consultations import faq
from onewindow.consultations.models import FrequentQuestion
from onewindow.core.errors import PermissionDenied, ValidationFailed


def test_chief_of_the_department_adds_and_edits(org, item):
    chief = org.user("scjg-chief")
    entry = faq.faq_add(actor=chief, item=item.item, question="要多久？", answer="10个工作日。")
    assert not entry.published and entry.position == 1
    faq.faq_edit(
        actor=chief, item=item.item, faq_id=entry.pk, question="要多久办好？", answer="10天。", published=True
    )
    entry.refresh_from_db()
    assert entry.published and entry.question == "要多久办好？"


@pytest.mark.parametrize("who", ["sw-chief", "scjg-reviewer", "supervisor", "clerk"])
def test_others_may_not(org, item, who):
    with pytest.raises(PermissionDenied):
        faq.faq_add(actor=org.user(who), item=item.item, question="问", answer="答")
    assert not FrequentQuestion.objects.exists()


def test_empty_question_is_refused(org, item):
    with pytest.raises(ValidationFailed) as exc:
        faq.faq_add(actor=org.user("scjg-chief"), item=item.item, question=" ", answer="")
    assert set(exc.value.details) == {"question", "answer"}
