"""Facts about cases that several modules and apps need, each stated once: the statuses and
levels, which statuses are open or have the clock running, and the labels shown for them
(staff pages, public pages and the API all use these).
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("submitted online, awaiting pre-review")
    RECEIVED = "received", _("received")
    CORRECTION_REQUESTED = "correction_requested", _("correction requested")
    REFUSED = "refused", _("refused")
    ACCEPTED = "accepted", _("accepted")
    IN_PROGRESS = "in_progress", _("in progress")
    SUSPENDED = "suspended", _("special procedure")
    CORRECTION_IN_PROGRESS = "correction_in_progress", _("awaiting corrected materials")
    DECIDED_GRANTED = "decided_granted", _("granted")
    DECIDED_DENIED = "decided_denied", _("denied")
    CERTIFICATE_ISSUED = "certificate_issued", _("certificate issued")
    COMPLETED = "completed", _("completed")
    DELIVERED = "delivered", _("delivered")
    WITHDRAWN = "withdrawn", _("withdrawn")
    TERMINATED = "terminated", _("terminated")


class Level(models.IntegerChoices):
    """The supervision level of a case or step deadline (set by the supervision sweep)."""

    GREEN = 0, _("green")
    YELLOW = 1, _("yellow")
    RED = 2, _("red")


# The clock runs: a deadline exists and counts (the supervision sweep watches these cases).
CLOCK_RUNNING: tuple[str, ...] = (Status.ACCEPTED, Status.IN_PROGRESS)
# The clock is stopped: a special procedure or a correction during processing (a pause).
PAUSED: tuple[str, ...] = (Status.SUSPENDED, Status.CORRECTION_IN_PROGRESS)
# Accepted and not finished: the case's deadlines still matter.
OPEN_STATUSES: tuple[str, ...] = (
    *CLOCK_RUNNING,
    *PAUSED,
    Status.DECIDED_GRANTED,
    Status.DECIDED_DENIED,
    Status.CERTIFICATE_ISSUED,
)
# Nothing more happens to the case.
FINAL_STATUSES = frozenset({Status.REFUSED, Status.DELIVERED, Status.WITHDRAWN, Status.TERMINATED})

# The labels of the case and step statuses wherever they are shown (a context keeps them apart
# from other apps' words such as "pending" or "active").
STATUS_LABELS: dict[str, Promise] = {
    Status.SUBMITTED: pgettext_lazy("case status", "submitted online, awaiting pre-review"),
    Status.RECEIVED: pgettext_lazy("case status", "received"),
    Status.CORRECTION_REQUESTED: pgettext_lazy("case status", "correction requested"),
    Status.REFUSED: pgettext_lazy("case status", "refused"),
    Status.ACCEPTED: pgettext_lazy("case status", "accepted"),
    Status.IN_PROGRESS: pgettext_lazy("case status", "in progress"),
    Status.SUSPENDED: pgettext_lazy("case status", "special procedure"),
    Status.CORRECTION_IN_PROGRESS: pgettext_lazy("case status", "awaiting corrected materials"),
    Status.DECIDED_GRANTED: pgettext_lazy("case status", "granted"),
    Status.DECIDED_DENIED: pgettext_lazy("case status", "denied"),
    Status.CERTIFICATE_ISSUED: pgettext_lazy("case status", "certificate issued"),
    Status.COMPLETED: pgettext_lazy("case status", "completed"),
    Status.DELIVERED: pgettext_lazy("case status", "delivered"),
    Status.WITHDRAWN: pgettext_lazy("case status", "withdrawn"),
    Status.TERMINATED: pgettext_lazy("case status", "terminated"),
}
STEP_STATUS_LABELS: dict[str, Promise] = {
    "pending": pgettext_lazy("case step", "pending"),
    "active": pgettext_lazy("case step", "in hand"),
    "done": pgettext_lazy("case step", "done"),
    "returned": pgettext_lazy("case step", "returned"),
    "skipped": pgettext_lazy("case step", "skipped"),
}


def status_label(status: str) -> str:
    """The label of a case status in the current language (the status itself if unknown)."""
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def step_status_label(status: str) -> str:
    """The label of a step status in the current language (the status itself if unknown)."""
    label = STEP_STATUS_LABELS.get(status)
    return str(label) if label is not None else status
