"""Shared builders of the calling tests: a business type served at both windows, clerks seated
at each, windows opened, tickets issued at given local times."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from onewindow.appointments.models import BusinessType
from onewindow.hall.models import Ticket
from onewindow.hall.tickets import ticket_issue
from onewindow.hall.window_status import window_open
from onewindow.org.models import User, Window
from tests.factories import OrgFixture, make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 12, 8)


def at(hh: int, mm: int = 0, ss: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=SHANGHAI)


@dataclass
class Queue:
    org: OrgFixture
    a: BusinessType  # served at window_a and the general window
    b: BusinessType  # served at window_a only
    kiosk: User
    clerk: User  # at the general window Z01
    clerk_a: User  # at window_a A01
    leader: User  # hall.manage_queue

    @property
    def z01(self) -> Window:
        return self.org.general_window

    @property
    def a01(self) -> Window:
        return self.org.window_a

    def issue(
        self, business: BusinessType | None = None, at_: dt.datetime | None = None, **kw: Any
    ) -> Ticket:
        return ticket_issue(business=business or self.a, actor=self.kiosk, now=at_ or at(9), **kw)


def build_queue(org: OrgFixture, *, open_windows: bool = True) -> Queue:
    a = BusinessType.objects.create(center=org.center, letter="A", name="市场监管业务")
    a.windows.add(org.window_a, org.general_window)
    b = BusinessType.objects.create(
        center=org.center, letter="B", name="税务业务", preferred_window=org.window_a
    )
    q = Queue(
        org=org,
        a=a,
        b=b,
        kiosk=make_user("kiosk", center=org.center, roles=("ticket_dispenser",)),
        clerk=org.user("clerk"),
        clerk_a=make_user("clerk-a", center=org.center, roles=("window_clerk",), window=org.window_a),
        leader=make_user("leader", center=org.center, roles=("group_leader",)),
    )
    if open_windows:
        window_open(window=org.general_window, actor=q.clerk, now=at(8, 30))
        window_open(window=org.window_a, actor=q.clerk_a, now=at(8, 30))
    return q
