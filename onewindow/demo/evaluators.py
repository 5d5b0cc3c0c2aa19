"""Demo window evaluators (idempotent): one tablet per general window (综合窗口) of the demo
center, each with a published key so that a demonstration can pair a browser at once:

    owe_demo_<window code in lower case>_evaluator_key   e.g. owe_demo_z01_evaluator_key

Pair a tablet (or a second browser window, not signed in as staff) at /evaluator/pair/ with the
key of the window whose clerk is serving. These keys are public: never load the demo into a
production installation. Called by the demo loader as `load(center)`; a second run changes
nothing (a device whose key is already stored is left alone, even if revoked)."""

from __future__ import annotations

from typing import Any

from onewindow.feedback import devices
from onewindow.feedback.models import EvaluatorDevice
from onewindow.org.models import Center, User, Window

MANAGER = "centeradmin"


def demo_key(window: Window) -> str:
    return f"owe_demo_{window.code.lower()}_evaluator_key"


def load(center: Center) -> dict[str, Any]:
    actor = User.objects.filter(username=MANAGER, center=center, is_active=True).first()
    created = 0
    if actor is None:
        return {"evaluators": 0}
    for window in Window.objects.filter(center=center, department__isnull=True, active=True).order_by("code"):
        key = demo_key(window)
        if EvaluatorDevice.objects.filter(key_digest=devices.key_digest(key)).exists():
            continue
        devices.device_create(window=window, name=f"{window.code} 评价器", actor=actor, raw_key=key)
        created += 1
    return {"evaluators": created}
