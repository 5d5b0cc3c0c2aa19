from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction

from onewindow.core import clock
from onewindow.core.errors import ValidationFailed
from onewindow.core.models import AuditEntry
from onewindow.notifications import delivery, services
from onewindow.notifications.delivery import outbox_deliver
from onewindow.notifications.models import MessageTemplate, OutboxMessage
from onewindow.notifications.services import message_enqueue

PHONE = "13812345678"
CONTEXT = {
    "center_name": "测试市政务服务中心",
    "item_name": "食品经营许可",
    "case_number": "DEMO20260930000017",
    "due_date": "2026-10-13",
}


def enqueue(**kwargs):
    params = {"template_code": "case_accepted", "recipient": PHONE, "context": CONTEXT}
    params.update(kwargs)
    return message_enqueue(**params)


def test_huey_runs_tasks_inline_in_tests():
    assert settings.HUEY["immediate"] is True


@pytest.mark.django_db
def test_default_templates_exist_with_chinese_texts():
    codes = set(MessageTemplate.objects.values_list("code", flat=True))
    assert {
        "case_accepted",
        "case_correction_requested",
        "case_completed",
        "case_completed_early",
        "case_ready_for_pickup",
        "case_refused",
        "case_deemed_approved",
        "reminder",
    } <= codes
    assert "已提前办结" in MessageTemplate.objects.get(code="case_completed_early").text


@pytest.mark.django_db
def test_enqueue_renders_and_stores_a_pending_message(sms):
    message = enqueue(related_type="cases.case", related_id=17)
    assert message is not None
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.recipient == PHONE
    assert message.body.startswith(
        "【测试市政务服务中心】您申请的“食品经营许可”已受理，办件编号DEMO20260930000017"
    )
    assert "2026-10-13" in message.body
    assert (message.related_type, message.related_id) == ("cases.case", "17")
    assert message.attempts == 0
    assert sms.sent == []  # not before the commit


@pytest.mark.django_db
def test_enqueue_schedules_one_delivery_after_commit(
    sms, django_capture_on_commit_callbacks, run_scheduled_tasks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = enqueue()
        second = enqueue()
    assert len(callbacks) == 2
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING  # the wake-up runs WAKE_UP_SECONDS later
    assert run_scheduled_tasks() == 1  # one wake-up for both messages
    second.refresh_from_db()
    assert second.status == OutboxMessage.Status.SENT
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert sms.sent == [(PHONE, message.body), (PHONE, second.body)]


@pytest.mark.django_db
def test_rolled_back_caller_leaves_no_message_and_sends_nothing(sms, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue()
        raise RuntimeError("the caller's change failed")
    assert callbacks == []
    assert OutboxMessage.objects.count() == 0
    assert sms.sent == []


@pytest.mark.django_db
@pytest.mark.parametrize("recipient", ["", "   ", None])
def test_empty_recipient_stores_nothing(recipient, sms):
    assert enqueue(recipient=recipient) is None
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_recipient_is_normalised_and_checked():
    message = enqueue(recipient="138 1234-5678")
    assert message is not None and message.recipient == PHONE
    with pytest.raises(ValidationFailed) as info:
        enqueue(recipient="call me")
    assert "recipient" in info.value.details


@pytest.mark.django_db
def test_missing_placeholder_stores_nothing():
    with pytest.raises(ValidationFailed) as info:
        enqueue(context={"case_number": "X"})
    assert info.value.code == "missing_placeholder"
    assert {"center_name", "item_name", "due_date"} <= set(info.value.details)
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_unknown_template_is_an_error():
    with pytest.raises(ValidationFailed) as info:
        enqueue(template_code="no_such_template")
    assert info.value.code == "unknown_template"


@pytest.mark.django_db
def test_switched_off_template_sends_nothing():
    MessageTemplate.objects.filter(code="case_accepted").update(active=False)
    assert enqueue() is None
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_deliver_sends_due_messages_once(sms):
    first, second = enqueue(), enqueue(recipient="13900001111")
    assert outbox_deliver() == 2
    assert outbox_deliver() == 0
    assert sorted(r for r, _ in sms.sent) == ["13812345678", "13900001111"]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert first is not None and second is not None


@pytest.mark.django_db
def test_deliver_respects_the_limit_oldest_first(sms):
    messages = [enqueue(context={**CONTEXT, "case_number": f"N{i}"}) for i in range(3)]
    assert outbox_deliver(limit=2) == 2
    statuses = [OutboxMessage.objects.get(pk=m.pk).status for m in messages]
    assert statuses == ["sent", "sent", "pending"]


@pytest.mark.django_db
def test_failures_retry_with_exponential_backoff_then_die(sms):
    message = enqueue()
    sms.fail = "gateway down"
    start = clock.now()
    expected_waits = [1, 2, 4, 8]  # minutes after the 1st, 2nd, 3rd and 4th failure
    with time_machine.travel(start, tick=False) as traveller:
        for attempt, wait in enumerate(expected_waits, start=1):
            assert outbox_deliver() == 0
            message.refresh_from_db()
            assert message.status == OutboxMessage.Status.FAILED
            assert message.attempts == attempt
            assert message.last_error == "gateway down"
            assert message.next_attempt_at == clock.now() + dt.timedelta(minutes=wait)
            # not due yet: nothing is tried a second earlier
            traveller.shift(dt.timedelta(minutes=wait) - dt.timedelta(seconds=1))
            assert outbox_deliver() == 0
            message.refresh_from_db()
            assert message.attempts == attempt
            traveller.shift(dt.timedelta(seconds=1))
        assert outbox_deliver() == 0  # the 5th attempt fails too
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.DEAD
        assert message.attempts == delivery.MAX_ATTEMPTS == 5
        traveller.shift(dt.timedelta(days=1))
        assert outbox_deliver() == 0
        message.refresh_from_db()
        assert message.attempts == 5
    assert sms.sent == []


@pytest.mark.django_db
def test_a_retry_that_succeeds_is_sent(sms):
    message = enqueue()
    sms.fail = "busy"
    with time_machine.travel(clock.now(), tick=False) as traveller:
        outbox_deliver()
        sms.fail = None
        traveller.shift(dt.timedelta(minutes=1))
        assert outbox_deliver() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert len(sms.sent) == 1


@pytest.mark.django_db
def test_a_stale_claim_loses_the_compare_and_set(sms):
    """Two workers read the same due row; only the first claim wins."""
    enqueue()
    worker_a = OutboxMessage.objects.get()
    worker_b = OutboxMessage.objects.get()
    assert delivery._attempt(worker_a) is True
    assert delivery._attempt(worker_b) is False
    assert len(sms.sent) == 1
    assert OutboxMessage.objects.get().attempts == 1


@pytest.mark.django_db
def test_a_worker_that_died_mid_send_is_retried_after_the_claim_expires(sms):
    message = enqueue()
    with time_machine.travel(clock.now(), tick=False) as traveller:
        assert delivery._claim(message, clock.now())  # claimed, then the worker vanished
        assert outbox_deliver() == 0
        traveller.shift(dt.timedelta(seconds=delivery.CLAIM_SECONDS))
        assert outbox_deliver() == 1
    assert len(sms.sent) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_send_one_message_twice(monkeypatch):
    from onewindow.notifications import channels

    sent: list[str] = []
    lock = threading.Lock()

    class SlowChannel:
        name = "slow"

        def send(self, *, recipient: str, body: str) -> None:
            with lock:
                sent.append(body)

    monkeypatch.setitem(channels._REGISTRY, "sms", SlowChannel)
    for i in range(20):
        enqueue(context={**CONTEXT, "case_number": f"C{i:02d}"})
    OutboxMessage.objects.update(status="pending", attempts=0, next_attempt_at=clock.now())
    sent.clear()

    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            outbox_deliver()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(sent) == sorted(set(sent))
    assert len(sent) == 20
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db
def test_template_save_is_validated_and_audited(org):
    admin = org.user("centeradmin")
    template = services.message_template_save(
        code="case_accepted", text="您的办件{case_number}已受理。", name="受理", actor=admin
    )
    assert template.text == "您的办件{case_number}已受理。"
    entry = AuditEntry.objects.filter(action="message_template.update").get()
    assert entry.actor == admin
    assert "{due_date}" in entry.before["text"] and entry.after["text"] == template.text
    with pytest.raises(ValidationFailed):
        services.message_template_save(code="case_accepted", text="{case.__class__}", actor=admin)
    with pytest.raises(ValidationFailed) as info:
        services.message_template_save(code="Bad Code", text="", actor=admin)
    assert set(info.value.details) == {"code", "text"}
    assert MessageTemplate.objects.get(code="case_accepted").text == "您的办件{case_number}已受理。"


@pytest.mark.django_db
def test_missing_default_templates_come_back_after_migrate_without_overwriting_edits():
    from django.apps import apps

    from onewindow.notifications.apps import default_templates_after_migrate

    MessageTemplate.objects.filter(code="reminder").delete()
    MessageTemplate.objects.filter(code="case_completed").update(text="改过的{case_number}")
    default_templates_after_migrate(apps.get_app_config("notifications"))
    assert MessageTemplate.objects.filter(code="reminder").exists()
    assert MessageTemplate.objects.get(code="case_completed").text == "改过的{case_number}"
