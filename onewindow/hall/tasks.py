"""Background jobs of the hall (Huey): the day end of the queue."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from onewindow.hall.dayend import queue_day_end

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/15"))
@lock_task("hall-day-end")
def day_end() -> int:
    """Every 15 minutes: tickets of earlier days still open close as not served, windows left
    open close, bookings not checked in become no-shows (all idempotent). Answers how many
    tickets were closed."""
    result = queue_day_end()
    if result.tickets or result.windows:
        logger.info("hall day end: %s tickets not served, %s windows closed", result.tickets, result.windows)
    return result.tickets
