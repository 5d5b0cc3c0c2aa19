"""The online hall's demo applicants load, and load again without change."""

from __future__ import annotations

import pytest

from onewindow.demo import online_identity
from onewindow.identity.models import AgentAuthorization, Enterprise, Person
from onewindow.identity.sessions import may_act_for

pytestmark = pytest.mark.django_db


def test_demo_applicants_are_idempotent(org):
    first = online_identity.load(org.center)
    second = online_identity.load(org.center)
    assert first == second
    assert Person.objects.count() == 3 and Enterprise.objects.count() == 1
    assert AgentAuthorization.objects.count() == 1
    assert first["citizen"].real_name_level == 4 and first["citizen"].name == "张明"
    assert first["enterprise"].legal_rep.phone == "13900000002"
    assert may_act_for(first["agent"], first["enterprise"])
