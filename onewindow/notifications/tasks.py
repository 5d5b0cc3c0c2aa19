"""Background delivery: the wake-up queued after a commit that stored messages, and every minute
for retries and anything a wake-up missed. Imports only `delivery` (services import this module)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from onewindow.notifications import delivery

BATCH = 100


@db_task()
def deliver_due() -> int:
    """The wake-up queued after commits that stored messages (at most one per
    services.WAKE_UP_SECONDS): sends batches until a batch comes back short."""
    total = 0
    while True:
        sent = delivery.outbox_deliver(limit=BATCH)
        total += sent
        if sent < BATCH:
            return total


@db_periodic_task(crontab(minute="*"))
def deliver_outbox() -> int:
    return delivery.outbox_deliver()
