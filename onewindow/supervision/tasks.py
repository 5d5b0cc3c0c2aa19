"""Background jobs of the supervision app (Huey)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

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
