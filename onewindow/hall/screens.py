"""What the hall's public screens show (selectors, read only): the hall screen, a window's own
display, the ticket dispenser's business buttons and the live wait page.

Everything is plain JSON-ready data (strings, numbers, lists) so the pages render it on the
server and the API hands the very same to the pages' scripts. Personal data never leaves here
unmasked: the results board shows 张* and the item, nothing else of the applicant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.appointments.models import BusinessType
from onewindow.cases.models import Case
from onewindow.core import clock
from onewindow.core.errors import NotFound
from onewindow.core.masking import mask_name
from onewindow.hall.models import Announcement, HallBoard, HallNotice, Ticket, WindowState
from onewindow.hall.tickets import ahead_of
from onewindow.hall.voice import clips_for_text
from onewindow.org.models import Center, Window

SPOKEN = (Announcement.Kind.CALL, Announcement.Kind.RECALL, Announcement.Kind.TRANSFER)
RECENT = 10  # recent calls on the screen
RESULTS = 12  # completed cases on the results board
ANNOUNCEMENTS_MAX = 20  # announcements handed to a screen at once (older ones are not spoken)
DEFAULT_SERVICE_MINUTES = 5  # the wait estimate per person ahead when today has no history
DONE = (Case.Status.COMPLETED, Case.Status.DELIVERED)

Data = dict[str, Any]

# what the public screens say (words for the applicant, not the staff's status names)
TICKET_LABELS = {
    Ticket.Status.WAITING: gettext_lazy("Waiting in the queue"),
    Ticket.Status.CALLED: gettext_lazy("Called: go to the window"),
    Ticket.Status.SERVING: gettext_lazy("Being served at the window"),
    Ticket.Status.SERVED: gettext_lazy("Done: thank you"),
    Ticket.Status.SKIPPED: gettext_lazy("Passed (not present when called)"),
    Ticket.Status.VOID: gettext_lazy("Void ticket"),
    Ticket.Status.NOT_SERVED: gettext_lazy("Not served today (the hall has closed)"),
}
WINDOW_LABELS = {
    WindowState.Status.OPEN: gettext_lazy("Open for service"),
    WindowState.Status.PAUSED: gettext_lazy("Service paused"),
    WindowState.Status.AWAY: gettext_lazy("Away from the window"),
    WindowState.Status.CLOSED: gettext_lazy("Not open"),
}
PRIORITY_LABELS = {
    Ticket.PriorityReason.ELDERLY: gettext_lazy("Elderly"),
    Ticket.PriorityReason.DISABLED: gettext_lazy("Disability"),
    Ticket.PriorityReason.MILITARY: gettext_lazy("Military or veteran"),
    Ticket.PriorityReason.GREEN_CHANNEL: gettext_lazy("Green channel"),
    Ticket.PriorityReason.OTHER: gettext_lazy("Priority"),
}


def _hhmm(moment: dt.datetime | None) -> str:
    return clock.local(moment).strftime("%H:%M") if moment else ""


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=clock.zone())


def center_by_code(code: str) -> Center:
    center = Center.objects.filter(code=(code or "").strip()[:20]).first()
    if center is None:
        raise NotFound(_("There is no service center %(code)s.") % {"code": code}, code="no_center")
    return center


def version_of(code: str) -> int | None:
    """The board version of the center `code` (one row read): the 204 path of the screens."""
    return HallBoard.objects.filter(center__code=code).values_list("version", flat=True).first()


# --- the hall screen ------------------------------------------------------------------------


def _announcement(row: Announcement) -> Data:
    return {
        "id": row.pk,
        "kind": row.kind,
        "number": row.number,
        "window": row.window_code,
        "text": row.text,
        "clips": clips_for_text(row.text),
        "at": _hhmm(row.at),
    }


def announcements_after(center_id: int, after: int, *, since: dt.datetime) -> list[Data]:
    """The announcements to speak after id `after` (oldest first; the newest ANNOUNCEMENTS_MAX)."""
    rows = list(
        Announcement.objects.filter(center_id=center_id, pk__gt=after, at__gte=since).order_by("-pk")[
            :ANNOUNCEMENTS_MAX
        ]
    )
    return [_announcement(r) for r in reversed(rows)]


def calls(center_id: int, since: dt.datetime) -> tuple[list[Data], list[Data]]:
    """(current calls: the latest per window, newest first; recent calls, newest first)."""
    rows = Announcement.objects.filter(center_id=center_id, kind__in=SPOKEN, at__gte=since).order_by("-pk")[
        :200
    ]
    current: list[Data] = []
    recent: list[Data] = []
    seen: set[str] = set()
    for row in rows:
        data = _announcement(row)
        if len(recent) < RECENT:
            recent.append(data)
        if row.window_code not in seen:
            seen.add(row.window_code)
            current.append(data)
    return current, recent


def window_row(window: Window, state: WindowState | None) -> Data:
    status = state.status if state is not None else WindowState.Status.CLOSED
    current = state.current if state is not None and state.current_id else None
    return {
        "code": window.code,
        "name": window.name,
        "status": status,
        "status_label": str(WINDOW_LABELS[WindowState.Status(status)]),
        "message": state.message if state is not None and status != WindowState.Status.OPEN else "",
        "back": _hhmm(state.expected_return)
        if state is not None and status != WindowState.Status.OPEN
        else "",
        "current": current.number if current is not None and current.status in Ticket.ACTIVE else "",
    }


def windows(center_id: int) -> list[Data]:
    rows = Window.objects.filter(center_id=center_id, active=True).order_by("code")
    states = {
        s.window_id: s
        for s in WindowState.objects.filter(window__center_id=center_id).select_related("current")
    }
    return [window_row(w, states.get(w.pk)) for w in rows]


def waiting_counts(center_id: int, day: dt.date) -> list[Data]:
    counts = dict(
        Ticket.objects.filter(center_id=center_id, date=day, status=Ticket.Status.WAITING)
        .values_list("business_id")
        .annotate(n=Count("pk"))
        .values_list("business_id", "n")
    )
    return [
        {"letter": b.letter, "name": b.name, "waiting": counts.get(b.pk, 0)}
        for b in BusinessType.objects.filter(center_id=center_id, active=True).order_by("letter")
    ]


def notices(center_id: int, day: dt.date) -> list[str]:
    """The center's notices shown today: active, and `day` within their dates (either open)."""
    rows = (
        HallNotice.objects.filter(center_id=center_id, active=True)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("position", "pk")
    )
    return [n.text for n in rows]


def results(center_id: int, since: dt.datetime) -> list[Data]:
    """审批结果公示: the center's cases completed today (newest first), the applicant masked."""
    rows = (
        Case.objects.filter(center_id=center_id, status__in=DONE, completed_at__gte=since)
        .select_related("item_version")
        .only(
            "number",
            "receipt_number",
            "applicant_name",
            "decision",
            "status",
            "completed_at",
            "item_version__name",
        )
        .order_by("-completed_at", "-pk")[:RESULTS]
    )
    out = []
    for case in rows:
        outcome = case.get_decision_display() if case.decision else case.get_status_display()
        out.append(
            {
                "number": case.number or case.receipt_number,
                "item": case.item_version.name,
                "applicant": mask_name(case.applicant_name),
                "result": str(outcome),
                "at": _hhmm(case.completed_at),
            }
        )
    return out


def hall_state(center: Center, *, after: int | None = None, now: dt.datetime | None = None) -> Data:
    """Everything a hall screen shows. With `after` (the last announcement id a screen has), the
    announcements it has not spoken yet; without, none (a screen that just opened is silent)."""
    now = now or clock.now()
    day = clock.local(now).date()
    since = _day_start(day)
    version = HallBoard.objects.filter(center=center).values_list("version", flat=True).first() or 0
    current, recent = calls(center.pk, since)
    last = (
        Announcement.objects.filter(center=center).order_by("-pk").values_list("pk", flat=True).first() or 0
    )
    return {
        "center": {"code": center.code, "name": center.name},
        "version": version,
        "date": day.isoformat(),
        "time": _hhmm(now),
        "calls": current,
        "recent": recent,
        "announcements": announcements_after(center.pk, after, since=since) if after is not None else [],
        "last_announcement": last,
        "waiting": waiting_counts(center.pk, day),
        "windows": windows(center.pk),
        "notices": notices(center.pk, day),
        "results": results(center.pk, since),
    }


def window_display(code: str, center_code: str = "") -> tuple[Center, Data]:
    """The display above one window (its code; the center's code when codes repeat)."""
    qs = Window.objects.filter(code=code[:20], active=True).select_related("center")
    if center_code:
        qs = qs.filter(center__code=center_code[:20])
    found = list(qs[:2])
    if len(found) != 1:
        raise NotFound(_("There is no window %(code)s.") % {"code": code}, code="no_window")
    window = found[0]
    state = WindowState.objects.filter(window=window).select_related("current").first()
    return window.center, window_row(window, state)


# --- the ticket dispenser -------------------------------------------------------------------


@dataclass(frozen=True)
class KioskBusiness:
    pk: int
    letter: str
    name: str
    icon: str
    windows: list[str]
    waiting: int
    open: bool
    hours: str


def kiosk_businesses(center_id: int, now: dt.datetime | None = None) -> list[KioskBusiness]:
    """The dispenser's buttons: the center's active business types with their windows, how many
    wait, and whether they take tickets now (their hours)."""
    now = now or clock.now()
    local = clock.local(now)
    counts = {b["letter"]: b["waiting"] for b in waiting_counts(center_id, local.date())}
    out = []
    for b in (
        BusinessType.objects.filter(center_id=center_id, active=True)
        .prefetch_related("windows")
        .order_by("letter")
    ):
        t = local.time()
        is_open = not ((b.opens_at and t < b.opens_at) or (b.closes_at and t >= b.closes_at))
        hours = ""
        if b.opens_at or b.closes_at:
            opens = b.opens_at.strftime("%H:%M") if b.opens_at else "00:00"
            hours = f"{opens}–{b.closes_at.strftime('%H:%M') if b.closes_at else '24:00'}"
        out.append(
            KioskBusiness(
                pk=b.pk,
                letter=b.letter,
                name=b.name,
                icon=b.icon,
                windows=sorted(w.code for w in b.windows.all() if w.active),
                waiting=counts.get(b.letter, 0),
                open=is_open,
                hours=hours,
            )
        )
    return out


def business_windows(ticket: Ticket) -> list[str]:
    """The windows to watch for a ticket: its window when called, else its business's windows."""
    if ticket.window_id and ticket.status in (Ticket.Status.CALLED, Ticket.Status.SERVING):
        return [ticket.window.code]  # type: ignore[union-attr]
    if ticket.target_window_id:
        return [ticket.target_window.code]  # type: ignore[union-attr]
    return sorted(w.code for w in ticket.business.windows.all() if w.active)


# --- the live wait page ---------------------------------------------------------------------


def average_service_seconds(business_id: int, day: dt.date) -> int | None:
    """The average service time of the business today (finished visits), None without history."""
    rows = Ticket.objects.filter(
        business_id=business_id, date=day, started_at__isnull=False, finished_at__isnull=False
    ).values_list("started_at", "finished_at")[:500]
    spans = [(end - start).total_seconds() for start, end in rows if start and end and end >= start]
    return int(sum(spans) / len(spans)) if spans else None


def wait_state(ticket: Ticket) -> Data:
    """The wait page: the ticket's status, place and estimated wait (an estimate: people ahead ×
    today's average service time of the business, DEFAULT_SERVICE_MINUTES without history)."""
    waiting = ticket.status == Ticket.Status.WAITING
    ahead = ahead_of(ticket) if waiting else 0
    average = average_service_seconds(ticket.business_id, ticket.date) if waiting else None
    per_person = average if average is not None else DEFAULT_SERVICE_MINUTES * 60
    window = ticket.window if ticket.window_id else None
    return {
        "number": ticket.number,
        "business": ticket.business.name,
        "center": ticket.center.name,
        "status": ticket.status,
        "status_label": str(TICKET_LABELS[Ticket.Status(ticket.status)]),
        "window": window.code if window is not None and ticket.status in Ticket.ACTIVE else "",
        "window_name": window.name if window is not None and ticket.status in Ticket.ACTIVE else "",
        "ahead": ahead,
        "position": ahead + 1 if waiting else 0,
        "estimate_minutes": -(-ahead * per_person // 60) if waiting else 0,
        "estimate_default": waiting and average is None,
        "windows": business_windows(ticket),
        "issued_at": _hhmm(ticket.issued_at),
        "called_at": _hhmm(ticket.called_at),
        "version": ticket.version,
    }
