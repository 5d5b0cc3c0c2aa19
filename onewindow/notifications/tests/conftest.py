from __future__ import annotations

import logging

import pytest

from onewindow.notifications import channels


class RecordingChannel:
    """A channel that records what it was asked to send; fails while `fail` is set."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail: str | None = None

    def send(self, *, recipient: str, body: str) -> None:
        if self.fail:
            raise channels.DeliveryFailed(self.fail)
        self.sent.append((recipient, body))


@pytest.fixture
def sms(monkeypatch) -> RecordingChannel:
    channel = RecordingChannel()
    monkeypatch.setitem(channels._REGISTRY, "sms", lambda: channel)
    return channel


@pytest.fixture
def notifications_log(caplog):
    """Capture the notifications logger (it does not propagate to the root logger)."""
    logger = logging.getLogger("onewindow.notifications")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="onewindow.notifications")
    yield caplog
    logger.removeHandler(caplog.handler)
