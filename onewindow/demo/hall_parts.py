"""The hall of the demo center (issue 16), loaded with the history: business types served by at
least two windows with a clerk each, the ticket dispenser and the group leader, a ticket history
and today's queue (demo/hall.py), attendance (demo/attendance.py) and leave (demo/leave.py).
Each part is idempotent; the hall goes first, since it makes the accounts the others use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.demo import attendance, hall, leave
from onewindow.org.models import Center

PARTS: tuple[Callable[[Center], dict[str, Any]], ...] = (hall.load, attendance.load, leave.load)


def load_hall(center: Center) -> list[str]:
    """Load every part; returns the summary line."""
    for part in PARTS:
        with transaction.atomic():
            part(center)
    return [
        _(
            "Hall: the ticket dispenser at /hall/kiosk/ (sign in as kiosk), the hall screen at "
            "/hall/screen/, attendance terminals with owt_demo_terminal_1f and owt_demo_terminal_2f."
        )
    ]
