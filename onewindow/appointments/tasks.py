"""Background jobs of the appointments app (Huey): no-shows, day end, reminders."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from onewindow.appointments import sweeps

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/5"))
@lock_task("appointments-no-shows")
def no_shows() -> int:
    """Every 5 minutes: bookings not checked in by their slot's end + the grace become
    no-shows; the day's leftovers once the day has ended. Answers how many."""
    count = sweeps.bookings_mark_no_shows() + sweeps.bookings_day_end()
    if count:
        logger.info("appointments: %s no-shows", count)
    return count


@db_periodic_task(crontab(minute="*/30"))
@lock_task("appointments-reminders")
def reminders() -> int:
    """Every half hour (sending from the afternoon of the day before, once per booking)."""
    return sweeps.bookings_remind()
