"""Background jobs of the consultations app (Huey)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from onewindow.consultations.levels import consultation_levels_sweep

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("consultation-levels-sweep")
def consultation_levels() -> int:
    """Every minute: waits for a reply turn yellow at 3 and red at 5 working minutes."""
    changed = consultation_levels_sweep()
    if changed:
        logger.info("consultation levels: %s changed", changed)
    return changed
