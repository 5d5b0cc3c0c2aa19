"""Demo evaluations: a realistic share of the history's occasions, through the service, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F

from onewindow.core import clock
from onewindow.demo import evaluations
from onewindow.demo.history import load_history
from onewindow.demo.loader import load_demo
from onewindow.feedback.models import Evaluation, Rectification, ServiceOccasion
from onewindow.org.models import Center

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


def test_a_share_is_evaluated_mostly_satisfied_and_only_once() -> None:
    load_demo(history=False)
    center = Center.objects.get(code="SFS")
    load_history(center=center, count=120, until=dt.datetime(2026, 12, 7, 11, 0, tzinfo=SH))
    result = evaluations.load(center)
    eligible = ServiceOccasion.objects.filter(
        center=center, case__isnull=False, kind__in=("accepted", "completed")
    )
    made = Evaluation.objects.filter(occasion__in=eligible)
    assert result["evaluations"] == made.count() == Evaluation.objects.count()
    assert 0.3 < made.count() / eligible.count() < 0.75
    assert made.filter(bad=False).count() > made.filter(bad=True).count()
    assert Rectification.objects.count() == made.filter(bad=True).count()
    for bad in made.filter(bad=True):
        assert bad.tags and bad.text
    assert not made.filter(submitted_at__lt=F("occasion__at")).exists()
    assert not made.filter(submitted_at__gte=F("occasion__closes_at")).exists()
    assert not made.filter(submitted_at__gt=clock.now()).exists()
    assert eligible.filter(evaluation__isnull=True).exists()  # the rest stays unevaluated
    assert evaluations.load(center) == {"evaluations": 0}
