"""Background jobs of the approvals app (Huey)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from onewindow.approvals.levels import bundle_levels_sweep

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("bundle-levels-sweep")
def bundle_levels() -> int:
    """Every minute, beside the supervision sweep: the yellow/red level of the running bundle
    cases from their joint clock (the sub-cases are swept as ordinary cases). Answers how many
    bundles changed level."""
    changed = bundle_levels_sweep()
    if changed:
        logger.info("bundle levels: %s changed", changed)
    return changed
