"""The online hall's demo (issue 14), after the center and its history: applicants (three
accounts by phone), the appointment calendar, online applications in several states and
consultations with frequent questions. Each part is idempotent and runs in its own transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.demo import (
    online_applications,
    online_appointments,
    online_bundles,
    online_consultations,
    online_identity,
)
from onewindow.org.models import Center

PARTS: tuple[Callable[[Center], dict[str, Any]], ...] = (
    online_identity.load,
    online_appointments.load,
    online_applications.load,
    online_bundles.load,
    online_consultations.load,
)


def load_online_hall(center: Center) -> list[str]:
    """Load every part; returns the summary lines."""
    counts: dict[str, int] = {}
    for part in PARTS:
        with transaction.atomic():
            result = part(center)
        counts.update({key: value for key, value in result.items() if isinstance(value, int)})
    return [
        _(
            "Online hall: applicants 13900000001 (citizen), 13900000002 (legal representative) and "
            "13900000003 (agent) sign in with an SMS code printed by the console channel; "
            "%(applications)s online applications, %(consultations)s consultations."
        )
        % {
            "applications": counts.get("online_applications", 0),
            "consultations": counts.get("consultations", 0),
        }
    ]
