"""The levels of the open waits for a reply: yellow from `warn_at` (3 working minutes), red from
`due_at` (5). Run every minute by `tasks.consultation_levels`; the waits' deadlines are stored
working-time moments, so the sweep is two UPDATEs."""

from __future__ import annotations

import datetime as dt

from onewindow.consultations.models import ConsultationWait, Level
from onewindow.core import clock


def consultation_levels_sweep(now: dt.datetime | None = None) -> int:
    """Mark the open waits yellow and red; answers how many changed."""
    now = now or clock.now()
    open_waits = ConsultationWait.objects.filter(ended_at__isnull=True)
    red = open_waits.filter(level__lt=Level.RED, due_at__lte=now).update(level=Level.RED)
    yellow = open_waits.filter(level=Level.GREEN, warn_at__lte=now, due_at__gt=now).update(level=Level.YELLOW)
    return red + yellow
