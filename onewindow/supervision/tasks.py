"""Background jobs of the supervision app (Huey)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from onewindow.supervision.integrity import trails_check
from onewindow.supervision.sweep import sweep

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("supervision-sweep")
def supervision_sweep() -> dict[str, int]:
    """Every minute: the electronic supervision sweep (safe even if two run at once)."""
    result = sweep()
    if result.counts:
        logger.info("supervision sweep: %s", result)
    return dict(result.counts)


@db_periodic_task(crontab(minute="30", hour="2"))
@lock_task("audit-trail-check")
def audit_trail_check() -> int:
    """Every night at 02:30: verify the hash chains of the audit trail and the case histories;
    a break raises the alarm (supervision.integrity). Answers the number of breaks."""
    result = trails_check()
    return len(result.breaks)
