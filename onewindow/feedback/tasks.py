"""Background jobs of the feedback app (Huey): the SMS invitation to evaluate and its reminder."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from onewindow.feedback.invitations import evaluation_invitations_send, evaluation_reminders_send

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/10"))
@lock_task("feedback-evaluation-invitations")
def evaluation_invitations() -> int:
    """Every 10 minutes (08:00–20:00): invitations for newly completed cases, then the reminders
    of those invited EVALUATION_REMINDER_DAYS ago and still unevaluated. Answers how many."""
    count = evaluation_invitations_send() + evaluation_reminders_send()
    if count:
        logger.info("evaluation invitations and reminders: %s sent", count)
    return count
