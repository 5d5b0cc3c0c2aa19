"""The supervisor's live overview (hall.overview and web:queue_overview): windows with their
status, clerk and current ticket; waiting and the longest wait per business; today's totals."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.test import Client

from onewindow.appointments.models import BusinessType
from onewindow.core import clock
from onewindow.hall.models import Ticket, WindowState
from onewindow.hall.overview import hall_overview
from tests.factories import OrgFixture

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 8, 10, 30, tzinfo=SHANGHAI)


def at(hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(NOW.date(), dt.time(hh, mm), tzinfo=SHANGHAI)


@pytest.fixture
def hall(org: OrgFixture) -> dict:
    a = BusinessType.objects.create(center=org.center, letter="A", name="市场监管业务")
    a.windows.add(org.window_a, org.general_window)
    b = BusinessType.objects.create(center=org.center, letter="B", name="税务业务")
    day = NOW.date()

    def ticket(business: BusinessType, n: int, issued: dt.datetime, status: str, **kw: object) -> Ticket:
        return Ticket.objects.create(
            center=org.center, business=business, date=day, sequence=n, number=f"{business.letter}{n:03d}",
            status=status, issued_at=issued, queued_at=issued, **kw,
        )  # fmt: skip

    serving = ticket(
        a, 1, at(9), Ticket.Status.SERVING, window=org.general_window, staff=org.user("clerk"),
        first_called_at=at(10), called_at=at(10), started_at=at(10, 12),
    )  # fmt: skip
    ticket(a, 2, at(9, 50), Ticket.Status.WAITING)
    ticket(a, 3, at(10, 10), Ticket.Status.WAITING)
    ticket(b, 1, at(10, 20), Ticket.Status.WAITING)
    ticket(
        b,
        2,
        at(9, 5),
        Ticket.Status.SERVED,
        first_called_at=at(9, 15),
        started_at=at(9, 16),
        finished_at=at(9, 26),
    )
    WindowState.objects.create(
        window=org.general_window, status="open", since=at(8, 30), staff=org.user("clerk"), current=serving
    )
    WindowState.objects.create(
        window=org.window_a, status="away", since=at(10), message="去档案室调档", expected_return=at(10, 20)
    )
    return {"a": a, "b": b}


def test_the_overview(org: OrgFixture, hall: dict) -> None:
    data = hall_overview(org.center.pk, now=NOW)
    general, window_a = data.windows[1], data.windows[0]
    assert (window_a.code, window_a.status, window_a.message, window_a.overdue) == (
        "A01",
        "away",
        "去档案室调档",
        True,
    )
    assert window_a.ticket == "" and window_a.since_seconds == 30 * 60
    assert (general.code, general.status, general.clerk, general.ticket) == ("Z01", "open", "clerk", "A001")
    assert general.serving_seconds == 18 * 60
    rows = {b.letter: b for b in data.businesses}
    assert (rows["A"].waiting, rows["A"].longest_wait_seconds, rows["A"].windows_open) == (2, 40 * 60, 1)
    assert (rows["B"].waiting, rows["B"].longest_wait_seconds, rows["B"].windows_open) == (1, 10 * 60, 0)
    assert data.waiting == 3
    assert (data.totals.issued, data.totals.served, data.totals.active) == (5, 1, 4)
    assert data.wait.count == 2 and data.service.average == 600


def test_the_page_and_its_live_part(client: Client, org: OrgFixture, hall: dict) -> None:
    from django.urls import reverse

    with clock.frozen_at(NOW):
        client.force_login(org.user("supervisor"))
        page = client.get(reverse("web:queue_overview"))
        live = client.get(reverse("web:queue_overview_live"))
    assert page.status_code == 200 and live.status_code == 200
    html = page.content.decode()
    assert "A001" in html and "去档案室调档" in html and 'data-testid="waiting-now">3<' in html
    assert 'hx-trigger="every 15s"' in live.content.decode() and "<html" not in live.content.decode()
    assert "40:00" in html  # the longest wait of A
    client.force_login(org.user("clerk"))
    assert client.get(reverse("web:queue_overview")).status_code == 403
