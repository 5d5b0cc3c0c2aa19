"""Background jobs of the org app (Huey)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onewindow.org.services import admin_change_requests_expire

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="7"))
def expire_admin_change_requests() -> int:
    """Every hour: administrator account changes nobody approved in time lapse (audited)."""
    count = admin_change_requests_expire()
    if count:
        logger.info("%s administrator account change requests expired", count)
    return count
