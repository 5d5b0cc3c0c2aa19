from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from onewindow.notifications import channels
from onewindow.notifications.channels import (
    ConsoleChannel,
    DeliveryFailed,
    HttpSmsGatewayChannel,
    get_channel,
)
from onewindow.notifications.delivery import outbox_deliver
from onewindow.notifications.models import OutboxMessage
from onewindow.notifications.services import message_enqueue

PHONE = "13812345678"
ID_NUMBER = "110101199003071234"


class Gateway:
    """A tiny SMS gateway on 127.0.0.1: records requests, answers `status` after `delay` seconds."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 200
        self.delay = 0.0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                gateway.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "content_type": self.headers.get("Content-Type"),
                        "json": json.loads(self.rfile.read(length).decode("utf-8")),
                    }
                )
                if gateway.delay:
                    time.sleep(gateway.delay)
                try:
                    self.send_response(gateway.status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"ok": true}')
                except OSError:
                    pass  # the client gave up (timeout test)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Gateway:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with Gateway() as gw:
        yield gw


def test_gateway_success_posts_json_with_bearer_token(gateway):
    HttpSmsGatewayChannel(gateway.url, "secret-token").send(recipient=PHONE, body="您的办件已办结")
    assert gateway.requests == [
        {
            "path": "/sms/send",
            "authorization": "Bearer secret-token",
            "content_type": "application/json; charset=utf-8",
            "json": {"phone": PHONE, "text": "您的办件已办结"},
        }
    ]


def test_gateway_error_status_is_a_failure(gateway):
    gateway.status = 500
    with pytest.raises(DeliveryFailed, match="HTTP 500"):
        HttpSmsGatewayChannel(gateway.url, "t").send(recipient=PHONE, body="x")


def test_gateway_timeout_is_a_failure(gateway):
    gateway.delay = 1.0  # the gateway would answer 200 after a second: the timeout cut it short
    with pytest.raises(DeliveryFailed, match="unreachable"):
        HttpSmsGatewayChannel(gateway.url, "t", timeout=0.2).send(recipient=PHONE, body="x")


def test_gateway_unreachable_is_a_failure():
    with Gateway() as gw:
        url = gw.url
    with pytest.raises(DeliveryFailed):
        HttpSmsGatewayChannel(url, "t", timeout=1).send(recipient=PHONE, body="x")


def test_gateway_timeout_defaults_to_five_seconds():
    assert HttpSmsGatewayChannel("https://sms.example.gov.cn/send").timeout == 5.0


def test_gateway_url_must_be_http():
    with pytest.raises(ValueError):
        HttpSmsGatewayChannel("file:///etc/passwd")


def test_registry_picks_the_gateway_only_when_configured(gateway):
    with override_settings(SMS_GATEWAY_URL=""):
        assert isinstance(get_channel("sms"), ConsoleChannel)
    with override_settings(SMS_GATEWAY_URL=gateway.url, SMS_GATEWAY_TOKEN="tok"):
        channel = get_channel("sms")
        assert isinstance(channel, HttpSmsGatewayChannel)
        assert (channel.url, channel.token, channel.timeout) == (gateway.url, "tok", 5.0)
    with pytest.raises(LookupError):
        get_channel("carrier-pigeon")


def test_register_channel_replaces_a_channel(monkeypatch):
    monkeypatch.setattr(channels, "_REGISTRY", dict(channels._REGISTRY))
    marker = ConsoleChannel()
    channels.register_channel("sms", lambda: marker)
    assert get_channel("sms") is marker


@pytest.mark.django_db
def test_outbox_through_the_gateway_records_success_and_failure(gateway):
    with override_settings(SMS_GATEWAY_URL=gateway.url, SMS_GATEWAY_TOKEN="tok"):
        ok = message_enqueue(
            template_code="case_completed",
            recipient=PHONE,
            context={"center_name": "中心", "case_number": "N1", "item_name": "许可"},
        )
        assert outbox_deliver() == 1
        gateway.status = 503
        bad = message_enqueue(
            template_code="case_completed",
            recipient="13900001111",
            context={"center_name": "中心", "case_number": "N2", "item_name": "许可"},
        )
        assert outbox_deliver() == 0
    assert ok is not None and bad is not None
    ok.refresh_from_db()
    bad.refresh_from_db()
    assert ok.status == OutboxMessage.Status.SENT
    assert bad.status == OutboxMessage.Status.FAILED
    assert bad.last_error == "SMS gateway answered HTTP 503"
    assert [r["json"]["phone"] for r in gateway.requests] == [PHONE, "13900001111"]


@pytest.mark.django_db
def test_console_channel_logs_masked_phone_and_id(notifications_log):
    with override_settings(SMS_GATEWAY_URL=""):
        message_enqueue(
            template_code="case_refused",
            recipient=PHONE,
            context={
                "center_name": "中心",
                "case_number": "N1",
                "item_name": "许可",
                "reason": f"申请人{ID_NUMBER}联系电话{PHONE}信息不符",
            },
        )
        assert outbox_deliver() == 1
    text = notifications_log.text
    assert "138****5678" in text
    assert "110***********1234" in text
    assert PHONE not in text
    assert ID_NUMBER not in text


@pytest.mark.django_db
def test_failure_logs_are_masked(notifications_log, sms):
    message_enqueue(
        template_code="case_completed",
        recipient=PHONE,
        context={"center_name": "中心", "case_number": "N1", "item_name": "许可"},
    )
    sms.fail = f"rejected number {PHONE}"
    outbox_deliver()
    assert "138****5678" in notifications_log.text
    assert PHONE not in notifications_log.text
    message = OutboxMessage.objects.get()
    assert PHONE not in message.last_error
