"""The demo's window evaluators load once, one per general window, with the documented key."""

from __future__ import annotations

from onewindow.demo import evaluators
from onewindow.feedback.devices import device_from_key
from onewindow.feedback.models import EvaluatorDevice


def test_load_is_idempotent(org):
    assert evaluators.load(org.center) == {"evaluators": 1}  # the fixture has one general window, Z01
    assert evaluators.load(org.center) == {"evaluators": 0}
    device = device_from_key("owe_demo_z01_evaluator_key")
    assert device is not None and device.window == org.general_window
    assert EvaluatorDevice.objects.count() == 1
