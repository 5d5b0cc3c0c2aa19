"""Background delivery: right after the sender's transaction commits, and every minute for
retries and anything the first try missed."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from onewindow.notifications import services

BATCH = 100


@db_task()
def deliver_message(message_id: int) -> bool:
    return services.outbox_deliver_message(message_id=message_id)


@db_task()
def deliver_due() -> int:
    """The wake-up queued after commits that stored messages (at most one per second): sends
    batches until a batch comes back short."""
    total = 0
    while True:
        sent = services.outbox_deliver(limit=BATCH)
        total += sent
        if sent < BATCH:
            return total


@db_periodic_task(crontab(minute="*"))
def deliver_outbox() -> int:
    return services.outbox_deliver()
