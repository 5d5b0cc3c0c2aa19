from __future__ import annotations

import importlib
import io

from django.core.management import call_command

# The settings layer sits above core: looked up at run time, as the command itself does.
VARIABLES = importlib.import_module("onewindow.conf.env").VARIABLES


def run(*args):
    out = io.StringIO()
    call_command("show_env", *args, stdout=out, no_color=True)
    return out.getvalue()


def test_lists_every_variable_with_default_and_help():
    text = run()
    for name, var in VARIABLES.items():
        assert f"\n{name}\n" in f"\n{text}", name
        assert var.help.split()[0] in text
    assert "  default: Asia/Shanghai" in text
    assert "DATABASE_URL\n  default: (unset)" in text


def test_values_hide_secrets(monkeypatch):
    monkeypatch.setenv("SMS_GATEWAY_TOKEN", "very-secret-token")
    monkeypatch.setenv("TIME_ZONE", "Asia/Urumqi")
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    text = run("--values")
    assert "very-secret-token" not in text
    assert "current: (set, hidden)" in text
    assert "current: Asia/Urumqi" in text
    assert "current: (not set: the default applies)" in text
