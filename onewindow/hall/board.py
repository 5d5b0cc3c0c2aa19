"""What the hall's screens follow: the per-center board version and the announcements.

Every write a screen shows (a call, a recall, a transfer, a window's status, a notice) calls
`board_touch` in its own transaction; a screen polls the version and fetches what changed only
when it moved. `announce` stores one spoken call ("请 A001 号，到 Z01 号窗口") and touches the board.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F

from onewindow.core import clock
from onewindow.hall.models import Announcement, HallBoard, Ticket
from onewindow.org.models import Window

# The words of the announcements (wave2.md §5); the screens speak them from clips or the browser.
CALL_TEXT = "请{number}号，到{window}号窗口"
PAUSE_TEXT = "{window}号窗口暂停服务"
WELCOME_TEXT = "欢迎您"


def board_touch(center_id: int, *, now: dt.datetime | None = None) -> None:
    """Move the center's board version (inside the caller's transaction)."""
    now = now or clock.now()
    updated = HallBoard.objects.filter(center_id=center_id).update(version=F("version") + 1, updated_at=now)
    if not updated:
        HallBoard.objects.get_or_create(center_id=center_id, defaults={"version": 1, "updated_at": now})


def board_version(center_id: int) -> int:
    return HallBoard.objects.filter(center_id=center_id).values_list("version", flat=True).first() or 0


def window_label(window: Window) -> str:
    """How the voice and the screens name a window: its code (Z01)."""
    return window.code


def announce(
    *,
    kind: str,
    window: Window,
    ticket: Ticket | None = None,
    now: dt.datetime | None = None,
) -> Announcement:
    """Store one announcement of `kind` (Announcement.Kind) and touch the board."""
    now = now or clock.now()
    label = window_label(window)
    if kind == Announcement.Kind.PAUSE:
        text = PAUSE_TEXT.format(window=label)
    else:
        if ticket is None:
            raise ValueError("A call, recall or transfer announces a ticket.")
        text = CALL_TEXT.format(number=ticket.number, window=label)
    row = Announcement.objects.create(
        center_id=window.center_id,
        ticket=ticket,
        window=window,
        kind=kind,
        number=ticket.number if ticket is not None else "",
        window_code=label,
        text=text,
        at=now,
    )
    board_touch(window.center_id, now=now)
    return row
