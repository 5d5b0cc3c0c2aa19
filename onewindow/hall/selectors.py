"""Reads of the window console and the queue API: the clerk's window, its state and current
ticket, the waiting list in call order, the waiting counts of its businesses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q

from onewindow.appointments.models import BusinessType
from onewindow.core import clock
from onewindow.hall import order
from onewindow.hall.models import Ticket, WindowState
from onewindow.org.models import User, Window

if TYPE_CHECKING:
    from collections.abc import Iterable

WAITING_LISTED = 100


@dataclass
class Console:
    window: Window
    state: WindowState
    current: Ticket | None
    waiting: list[Ticket]
    counts: list[tuple[BusinessType, int]] = field(default_factory=list)
    businesses: list[BusinessType] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)

    @property
    def waiting_total(self) -> int:
        return sum(n for _b, n in self.counts)


def my_window(user: Any) -> Window | None:
    window_id = getattr(user, "window_id", None)
    if window_id is None:
        return None
    return Window.objects.filter(pk=window_id, active=True).select_related("center", "department").first()


def state_of(window: Window) -> WindowState:
    """The window's state; an unsaved closed one before its first use."""
    return WindowState.objects.filter(pk=window.pk).first() or WindowState(window=window)


def console(window: Window, *, now: dt.datetime | None = None) -> Console:
    now = now or clock.now()
    state = state_of(window)
    current = None
    if state.current_id is not None:
        current = Ticket.objects.select_related("business").filter(pk=state.current_id).first()
    waiting = list(
        order.call_order(window, now=now, priority_run=state.priority_run).select_related("business")[
            :WAITING_LISTED
        ]
    )
    served = order.served_business_ids(window)
    day = clock.local(now).date()
    counted = dict(
        Ticket.objects.filter(business_id__in=served, date=day, status=Ticket.Status.WAITING)
        .values_list("business_id")
        .annotate(n=Count("pk"))
        .values_list("business_id", "n")
    )
    businesses = list(BusinessType.objects.filter(center_id=window.center_id, active=True).order_by("letter"))
    return Console(
        window=window,
        state=state,
        current=current,
        waiting=waiting,
        counts=[(b, counted.get(b.pk, 0)) for b in businesses if b.pk in served],
        businesses=businesses,
        windows=list(Window.objects.filter(center_id=window.center_id, active=True).order_by("code")),
    )


def waited_minutes(ticket: Ticket, *, now: dt.datetime | None = None) -> int:
    """Minutes from issue to the first call (or to now while it waits)."""
    end = ticket.first_called_at or now or clock.now()
    return max(0, int((end - ticket.issued_at).total_seconds() // 60))


def businesses_with_windows(center_id: int) -> list[dict[str, Any]]:
    """The center's active business types, each with its windows and the clerks seated there."""
    businesses = list(
        BusinessType.objects.filter(center_id=center_id, active=True)
        .select_related("preferred_window")
        .prefetch_related("windows")
        .order_by("letter")
    )
    clerks: dict[int, list[str]] = {}
    for username, window_id in (
        User.objects.filter(center_id=center_id, window__isnull=False, is_active=True)
        .order_by("username")
        .values_list("username", "window_id")
    ):
        clerks.setdefault(window_id, []).append(username)
    rows = []
    for business in businesses:
        windows: Iterable[Window] = list(business.windows.all())
        if business.preferred_window is not None and business.preferred_window not in windows:
            windows = [business.preferred_window, *windows]
        rows.append(
            {
                "code": business.letter,
                "name": business.name,
                "windows": [
                    {"code": w.code, "name": w.name, "clerks": clerks.get(w.pk, [])}
                    for w in sorted(windows, key=lambda w: w.code)
                    if w.active
                ],
            }
        )
    return rows


def windows_serving(business: BusinessType) -> list[str]:
    """The codes of the windows calling `business`'s tickets."""
    return list(
        Window.objects.filter(
            Q(pk__in=business.windows.values("pk")) | Q(pk=business.preferred_window_id or 0)
        )
        .filter(active=True)
        .order_by("code")
        .values_list("code", flat=True)
        .distinct()
    )
