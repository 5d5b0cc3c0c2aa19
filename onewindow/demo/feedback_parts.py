"""Evaluation and complaints of the demo center (issue 15), loaded with the history: the window
evaluators (known keys, docs/demo.md), evaluations of the history's occasions, the
rectification of some 差评, and complaints in several states. Each part is idempotent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.demo import complaints, evaluations, evaluators, rectifications
from onewindow.org.models import Center

PARTS: tuple[Callable[[Center], dict[str, Any]], ...] = (
    evaluators.load,
    evaluations.load,
    rectifications.load,
    complaints.load,
)


def load_feedback(center: Center) -> list[str]:
    """Load every part; returns the summary line."""
    for part in PARTS:
        with transaction.atomic():
            part(center)
    return [
        _(
            "Evaluation: window evaluators pair at /evaluator/pair/ with owe_demo_z01_evaluator_key "
            "(Z01–Z06); complaints are followed at /complaints/."
        )
    ]
