"""The queue's figures (hall.figures) on a small day whose every number is worked out by hand;
the page 排队统计, its CSV export and GET /api/v1/queue/figures.

The day, 2026-12-07 (Monday), business A (window A01 and Z01) and B:

| ticket | issued | first call | start–end   | window | outcome            | wait  | service |
|--------|--------|------------|-------------|--------|--------------------|-------|---------|
| A001   | 09:00  | 09:10      | 09:11–09:21 | A01    | served             | 600   | 600     |
| A002   | 09:05  | 09:25      | 09:26–09:31 | A01    | served             | 1200  | 300     |
| A003   | 09:30  | 09:40      |             | Z01    | skipped 09:44      | 600   |         |
| VA004  | 10:15  | 10:16      | 10:17–10:37 | Z01    | served (priority)  | 60    | 1200    |
| A005   | 10:20  |            |             |        | void 10:21         |       |         |
| B001   | 10:30  |            |             |        | not served (17:45) |       |         |
| YB002  | 11:00  | 11:30      | 11:31–11:41 | Z01    | served             | 1800  | 600     |
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.test import Client

from onewindow.appointments.models import Booking, BusinessType, Slot
from onewindow.core import clock
from onewindow.core.errors import ValidationFailed
from onewindow.hall import figures
from onewindow.hall.models import Ticket, WindowStatusPeriod
from onewindow.org.models import Center, User
from onewindow.org.services import api_token_issue
from tests.factories import OrgFixture, make_user

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 12, 7)
NOW = dt.datetime(2026, 12, 8, 10, 0, tzinfo=SHANGHAI)


def at(hh: int, mm: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=SHANGHAI)


class Day:
    def __init__(self, org: OrgFixture) -> None:
        self.org = org
        self.a = BusinessType.objects.create(center=org.center, letter="A", name="市场监管业务")
        self.a.windows.add(org.window_a, org.general_window)
        self.b = BusinessType.objects.create(center=org.center, letter="B", name="税务业务")
        self.b.windows.add(org.general_window)
        self.clerk = org.user("clerk")
        self.clerk2 = make_user(
            "clerk2", center=org.center, roles=("window_clerk",), window=org.window_a, full_name="韩雪梅"
        )
        self.sequence = {"A": 0, "B": 0}

    def ticket(
        self,
        business: BusinessType,
        issued: dt.datetime,
        status: str,
        *,
        prefix: str = "",
        called: dt.datetime | None = None,
        started: dt.datetime | None = None,
        finished: dt.datetime | None = None,
        closed: dt.datetime | None = None,
        window: Any = None,
        staff: User | None = None,
    ) -> Ticket:
        self.sequence[business.letter] += 1
        n = self.sequence[business.letter]
        return Ticket.objects.create(
            center=self.org.center,
            business=business,
            date=clock.local(issued).date(),
            sequence=n,
            prefix=prefix,
            number=f"{prefix}{business.letter}{n:03d}",
            source=Ticket.Source.APPOINTMENT if prefix == "Y" else Ticket.Source.KIOSK,
            priority=prefix == "V",
            status=status,
            issued_at=issued,
            queued_at=issued,
            first_called_at=called,
            called_at=called,
            started_at=started,
            finished_at=finished,
            closed_at=closed,
            window=window,
            staff=staff,
        )


@pytest.fixture
def day(org: OrgFixture) -> Day:
    d = Day(org)
    S = Ticket.Status
    wa, wz = org.window_a, org.general_window
    d.ticket(
        d.a,
        at(9),
        S.SERVED,
        called=at(9, 10),
        started=at(9, 11),
        finished=at(9, 21),
        window=wa,
        staff=d.clerk2,
    )
    d.ticket(
        d.a,
        at(9, 5),
        S.SERVED,
        called=at(9, 25),
        started=at(9, 26),
        finished=at(9, 31),
        window=wa,
        staff=d.clerk2,
    )
    d.ticket(d.a, at(9, 30), S.SKIPPED, called=at(9, 40), closed=at(9, 44), window=wz, staff=d.clerk)
    d.ticket(
        d.a, at(10, 15), S.SERVED, prefix="V", called=at(10, 16), started=at(10, 17), finished=at(10, 37),
        window=wz, staff=d.clerk,
    )  # fmt: skip
    d.ticket(d.a, at(10, 20), S.VOID, closed=at(10, 21))
    d.ticket(d.b, at(10, 30), S.NOT_SERVED, closed=at(17, 45))
    d.ticket(
        d.b, at(11), S.SERVED, prefix="Y", called=at(11, 30), started=at(11, 31), finished=at(11, 41),
        window=wz, staff=d.clerk,
    )  # fmt: skip
    # the ledger: A01 open from the evening before (clipped at midnight), paused 10:00–10:30
    before = DAY - dt.timedelta(days=1)
    for window, status, start, end in (
        (wa, "open", at(23, 30, before), at(0, 30)),
        (wa, "open", at(9), at(10)),
        (wa, "paused", at(10), at(10, 30)),
        (wa, "open", at(10, 30), at(12)),
        (wz, "open", at(9), at(12)),
        (wz, "away", at(12), at(13)),
    ):
        WindowStatusPeriod.objects.create(window=window, status=status, started_at=start, ended_at=end)
    return d


def scope(day: Day, **kw: Any) -> figures.Scope:
    return figures.scope_make(center_id=day.org.center.pk, start=DAY, end=DAY, **kw)


def test_totals_and_rates(day: Day) -> None:
    t = figures.totals(scope(day))
    assert (t.issued, t.served, t.skipped, t.void, t.not_served, t.active) == (7, 4, 1, 1, 1, 0)
    assert (t.appointment_tickets, t.priority_tickets) == (1, 1)
    assert (t.served_rate.numerator, t.served_rate.denominator) == (4, 6)
    assert (t.queue_no_show_rate.numerator, t.queue_no_show_rate.denominator) == (2, 6)
    assert t.served_rate.percent == "66.7%"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([5], 5),
        ([1, 2], 2),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9),
        (list(range(1, 12)), 10),
        ([60, 600, 600, 1200, 1800], 1800),
    ],
)
def test_p90_is_the_nearest_rank(values: list[int], expected: int) -> None:
    assert figures.p90(values) == expected


def test_wait_and_service_overall_per_business_and_window(day: Day) -> None:
    wait, service = figures.overall_times(scope(day))
    assert (wait.count, wait.average, wait.p90) == (5, 852, 1800)
    assert (service.count, service.average, service.p90) == (4, 675, 1200)
    by_business = {g.label: g for g in figures.times_by_business(scope(day))}
    a, b = by_business["A 市场监管业务"], by_business["B 税务业务"]
    assert (a.tickets, a.wait.count, a.wait.average, a.wait.p90) == (4, 4, 615, 1200)
    assert (a.service.count, a.service.average) == (3, 700)
    assert (b.tickets, b.wait.count, b.wait.average, b.service.average) == (2, 1, 1800, 600)
    by_window = {g.key: g for g in figures.times_by_window(scope(day))}
    wa, wz = by_window[day.org.window_a.pk], by_window[day.org.general_window.pk]
    assert (wa.tickets, wa.wait.average, wa.wait.p90, wa.service.average) == (2, 900, 1200, 450)
    assert (wz.tickets, wz.wait.average, wz.wait.p90, wz.service.average) == (3, 820, 1800, 900)


def test_hourly_load(day: Day) -> None:
    hours = {h.hour: h for h in figures.hourly_load(scope(day), now=NOW)}
    assert sorted(hours) == list(range(8, 18))
    assert [hours[h].issued for h in range(8, 18)] == [0, 3, 2, 1, 0, 0, 0, 0, 0, 0]
    # waiting at HH:00: nobody at 10:00; B001 from 11:00 until it closed; YB002 at 11:00 is not yet
    assert [hours[h].waiting for h in range(8, 18)] == [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]
    assert hours[11].days == 1 and hours[11].waiting_average == 1.0
    # today's hours after now are not counted
    later = figures.hourly_load(scope(day), now=at(10, 45))
    assert [h.waiting for h in later] == [0] * 10


def test_utilisation_is_service_over_open_time(day: Day) -> None:
    rows = {u.window_id: u for u in figures.utilisation(scope(day), now=NOW)}
    wa, wz = rows[day.org.window_a.pk], rows[day.org.general_window.pk]
    # A01: open 00:00–00:30 (clipped), 09:00–10:00, 10:30–12:00 = 30 + 60 + 90 minutes; paused not
    assert (wa.open_seconds, wa.service_seconds, wa.served) == (10800, 900, 2)
    assert (wa.rate.numerator, wa.rate.denominator) == (900, 10800)
    # Z01: open 09:00–12:00; the away hour is not open time
    assert (wz.open_seconds, wz.service_seconds, wz.served) == (10800, 1800, 2)
    assert wz.rate.percent == "16.7%"


def test_utilisation_counts_an_open_period_and_a_service_still_running_until_now(day: Day) -> None:
    today = NOW.date()
    WindowStatusPeriod.objects.create(window=day.org.window_a, status="open", started_at=at(9, day=today))
    day.ticket(
        day.a, at(9, 10, today), Ticket.Status.SERVING, called=at(9, 20, today), started=at(9, 30, today),
        window=day.org.window_a, staff=day.clerk2,
    )  # fmt: skip
    s = figures.scope_make(center_id=day.org.center.pk, start=today, end=today)
    (row,) = figures.utilisation(s, now=NOW)
    assert (row.open_seconds, row.service_seconds, row.served) == (3600, 1800, 0)


def test_tickets_per_clerk(day: Day) -> None:
    clerks = {c.username: c for c in figures.clerk_load(scope(day))}
    assert (clerks["clerk"].called, clerks["clerk"].served, clerks["clerk"].skipped) == (3, 2, 1)
    assert (clerks["clerk2"].called, clerks["clerk2"].served, clerks["clerk2"].service.average) == (2, 2, 450)


def test_filters_by_business_window_and_clerk(day: Day) -> None:
    assert figures.totals(scope(day, business_id=day.b.pk)).issued == 2
    assert figures.totals(scope(day, window_id=day.org.window_a.pk)).issued == 2
    assert figures.totals(scope(day, staff_id=day.clerk.pk)).issued == 3
    windows = [u.window_id for u in figures.utilisation(scope(day, business_id=day.b.pk), now=NOW)]
    assert windows == [day.org.general_window.pk]


def test_appointment_no_shows(day: Day) -> None:
    slot = Slot.objects.create(business=day.b, date=DAY, start=dt.time(9), end=dt.time(9, 30), capacity=5)
    for n, status in enumerate(["missed", "missed", "checked_in", "cancelled", "booked"]):
        Booking.objects.create(
            code=f"BK{n}", business=day.b, slot=slot, date=DAY, starts_at=at(9), ends_at=at(9, 30),
            id_number=f"11010119900101{n:04d}", name="张三", phone="13800138000", status=status,
            booked_at=at(8),
        )  # fmt: skip
    t = figures.totals(scope(day))
    assert (t.appointments_missed, t.appointments_kept) == (2, 1)
    assert (t.appointment_no_show_rate.numerator, t.appointment_no_show_rate.denominator) == (2, 3)
    assert figures.totals(scope(day, business_id=day.a.pk)).appointments_missed == 0


@pytest.mark.parametrize(
    ("start", "end", "extra", "code"),
    [
        (DAY, DAY - dt.timedelta(days=1), {}, "invalid_range"),
        (DAY - dt.timedelta(days=400), DAY, {}, "range_too_long"),
        (DAY, DAY, {"business_id": 10**6}, "unknown_business"),
        (DAY, DAY, {"window_id": 10**6}, "unknown_window"),
    ],
)
def test_a_bad_scope_is_refused(day: Day, start: dt.date, end: dt.date, extra: dict, code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        figures.scope_make(center_id=day.org.center.pk, start=start, end=end, **extra)
    assert caught.value.code == code


def test_another_centers_business_is_unknown(day: Day) -> None:
    other = Center.objects.create(code="OTHER", name="他市政务服务中心", level="county")
    with pytest.raises(ValidationFailed):
        figures.scope_make(center_id=other.pk, start=DAY, end=DAY, business_id=day.a.pk)


# --- the page, the export, the API ------------------------------------------------------------


def test_the_page_shows_the_figures_with_numerators_and_denominators(client: Client, day: Day) -> None:
    from django.urls import reverse

    with clock.frozen_at(NOW):
        client.force_login(day.org.user("supervisor"))
        page = client.get(reverse("web:queue_figures"), {"from": "2026-12-07", "to": "2026-12-07"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="issued">7<' in html and 'data-testid="served">4<' in html
    assert "66.7%" in html and "16.7%" in html and "韩雪梅" in html
    assert 'data-testid="wait-average">14.2<' in html  # 852 s
    with clock.frozen_at(NOW):
        bad = client.get(reverse("web:queue_figures"), {"from": "2026-13-45"}).content.decode()
        backwards = client.get(reverse("web:queue_figures"), {"from": "2026-12-07", "to": "2026-12-01"})
    assert "YYYY-MM-DD" in bad
    assert backwards.status_code == 200 and "2026-12-07" in backwards.content.decode()
    client.force_login(day.org.user("clerk"))
    assert client.get(reverse("web:queue_figures")).status_code == 403


def test_the_export_is_excel_ready_and_masked(client: Client, day: Day) -> None:
    from django.urls import reverse

    with clock.frozen_at(NOW):
        client.force_login(day.org.user("supervisor"))
        answer = client.get(reverse("web:queue_figures_export"), {"from": "2026-12-07", "to": "2026-12-07"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert "attachment" in answer["Content-Disposition"]
    text = answer.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "韩雪梅" not in text and "韩**" in text and "clerk2" in text
    assert "66.7%,4,6" in text


def _api(user: User) -> Client:
    _token, raw = api_token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_api_answers_the_figures(day: Day) -> None:
    api = _api(day.org.user("supervisor"))
    with clock.frozen_at(NOW):
        answer = api.get("/api/v1/queue/figures", {"from": "2026-12-07", "to": "2026-12-07"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["from"] == "2026-12-07" and body["to"] == "2026-12-07"
    assert body["totals"]["issued"] == 7 and body["totals"]["served_rate"]["numerator"] == 4
    assert body["totals"]["served_rate"]["denominator"] == 6
    assert body["wait"] == {"count": 5, "average_seconds": 852.0, "p90_seconds": 1800}
    assert {c["username"]: c["served"] for c in body["clerks"]} == {"clerk": 2, "clerk2": 2}
    assert [h["hour"] for h in body["hours"]] == list(range(8, 18))
    window = next(w for w in body["windows"] if w["id"] == day.org.window_a.pk)
    assert window["utilisation"] == {"numerator": 900, "denominator": 10800, "value": 0.0833}
    with clock.frozen_at(NOW):
        only_b = api.get("/api/v1/queue/figures", {"from": "2026-12-07", "business": day.b.pk}).json()
    assert only_b["totals"]["issued"] == 2 and only_b["business"] == day.b.pk


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"from": "2026-12-32"}, 422, "validation_failed"),
        ({"from": "yesterday"}, 422, "validation_failed"),
        ({"from": "2026-12-07", "to": "2026-12-01"}, 422, "invalid_range"),
        ({"from": "2026-12-07", "window": "999999"}, 422, "unknown_window"),
    ],
)
def test_the_api_refuses_bad_input(day: Day, params: dict, status: int, code: str) -> None:
    answer = _api(day.org.user("supervisor")).get("/api/v1/queue/figures", params)
    assert answer.status_code == status, answer.content
    assert answer.json()["code"] == code and answer.json()["message"]


def test_the_api_needs_the_permission(day: Day) -> None:
    answer = _api(day.org.user("clerk")).get("/api/v1/queue/figures")
    assert answer.status_code == 403 and answer.json()["code"] == "permission_denied"
    assert Client().get("/api/v1/queue/figures").status_code == 401
