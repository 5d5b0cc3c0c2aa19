"""Background jobs of the cases app (Huey)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onewindow.cases.services import case_deem_accept_overdue

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/10"))
def deem_accept_overdue() -> int:
    """Every 10 minutes: applications unanswered for 5 working days count as accepted (第32条)."""
    count = case_deem_accept_overdue()
    if count:
        logger.info("deemed %s applications accepted (5-working-day rule)", count)
    return count
