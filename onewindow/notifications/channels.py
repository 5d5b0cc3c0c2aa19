"""Delivery channels. `get_channel(name)` returns the channel that sends messages of that kind.

A channel's `send(recipient=..., body=...)` returns when the message was handed over and raises
`DeliveryFailed` when it was not; the outbox records the outcome and retries.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Protocol

from django.conf import settings

from onewindow.core.masking import mask_free_text, mask_phone

logger = logging.getLogger("onewindow.notifications")


class DeliveryFailed(Exception):
    """The channel could not hand the message over; the message says why (no personal data)."""


class Channel(Protocol):
    name: str

    def send(self, *, recipient: str, body: str) -> None: ...


class ConsoleChannel:
    """The default: writes the message to the log, with phone and ID numbers masked."""

    name = "console"

    def send(self, *, recipient: str, body: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(recipient), mask_free_text(body))


class HttpSmsGatewayChannel:
    """POSTs {"phone": ..., "text": ...} as JSON to an HTTP SMS gateway with a bearer token."""

    name = "http_sms_gateway"

    def __init__(self, url: str, token: str = "", *, timeout: float = 5.0) -> None:
        scheme = urllib.parse.urlsplit(url).scheme
        if scheme not in ("http", "https"):
            raise ValueError("SMS_GATEWAY_URL must be an http:// or https:// URL")
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, *, recipient: str, body: str) -> None:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            self.url,
            data=json.dumps({"phone": recipient, "text": body}, ensure_ascii=False).encode("utf-8"),
            headers=headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            raise DeliveryFailed(f"SMS gateway answered HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise DeliveryFailed(f"SMS gateway unreachable: {mask_free_text(str(reason))}"[:500]) from None
        if not 200 <= status < 300:
            raise DeliveryFailed(f"SMS gateway answered HTTP {status}")
        logger.info("SMS to %s handed to the gateway", mask_phone(recipient))


def _sms_channel() -> Channel:
    if settings.SMS_GATEWAY_URL:
        return HttpSmsGatewayChannel(settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN)
    return ConsoleChannel()


_REGISTRY: dict[str, Callable[[], Channel]] = {"sms": _sms_channel, "console": ConsoleChannel}


def register_channel(name: str, factory: Callable[[], Channel]) -> None:
    """Add or replace the channel used for messages of kind `name` (e.g. a vendor SMS adapter)."""
    _REGISTRY[name] = factory


def get_channel(name: str) -> Channel:
    """The channel for `name`: "sms" is the HTTP gateway when SMS_GATEWAY_URL is set, else the console."""
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise LookupError(f"no delivery channel named {name!r}") from None
    return factory()
