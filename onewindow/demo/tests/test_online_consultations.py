"""The demo's consultations load once: frequent questions, one answered and one waiting."""

from __future__ import annotations

from onewindow.consultations.models import Consultation, FrequentQuestion
from onewindow.demo import online_consultations
from onewindow.identity.models import Person
from tests.factories import make_item


def test_load_is_idempotent(org):
    make_item(org, code="SCJG-001", name="企业设立登记")
    make_item(org, code="SW-001", name="税务信息确认", department=org.dept_b)
    first = online_consultations.load(org.center)
    assert first == {"frequent_questions": 5, "consultations": 2}
    assert online_consultations.load(org.center) == {"frequent_questions": 0, "consultations": 0}
    person = Person.objects.get(phone="13900000001")
    statuses = sorted(Consultation.objects.filter(person=person).values_list("status", flat=True))
    assert statuses == ["answered", "waiting"]
    assert FrequentQuestion.objects.filter(published=True).count() == 5
