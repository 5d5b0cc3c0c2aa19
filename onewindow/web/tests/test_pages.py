"""The staff home, catalog and calendar pages, and their htmx fragments."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
import time_machine
from django.urls import reverse

from onewindow.calendar import selectors as calendar_selectors
from onewindow.calendar.models import CalendarDay, CalendarYear
from onewindow.catalog.models import ServiceItemVersion
from onewindow.org.models import Center, Department
from tests.factories import make_item

HTMX = {"HTTP_HX_REQUEST": "true"}
NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def items(org):
    return [
        make_item(org, code="SC001", name="食品经营许可", legal_limit=20, promised_limit=10),
        make_item(
            org,
            code="SW001",
            name="税务登记",
            department=org.dept_b,
            legal_limit=10,
            promised_limit=4,
            handling_type=ServiceItemVersion.HandlingType.PROMISED,
        ),
        make_item(
            org,
            code="SC002",
            name="营业执照变更登记",
            legal_limit=0,
            promised_limit=0,
            handling_type=ServiceItemVersion.HandlingType.INSTANT,
        ),
    ]


def _schedule(year: int, *, confirmed: bool, holidays=(), adjusted=()):
    row, _ = CalendarYear.objects.update_or_create(year=year, defaults={"confirmed": confirmed})
    for day in holidays:
        CalendarDay.objects.update_or_create(date=day, defaults={"year": row, "kind": "holiday"})
    for day in adjusted:
        CalendarDay.objects.update_or_create(date=day, defaults={"year": row, "kind": "adjusted_workday"})
    calendar_selectors.invalidate()


# --- home ----------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_home_shows_counts_and_warns_when_next_year_is_unconfirmed(client, org, items):
    _schedule(2026, confirmed=True)
    CalendarYear.objects.filter(year=2027).delete()
    calendar_selectors.invalidate()
    client.force_login(org.user("scjg-reviewer"))
    body = client.get(reverse("web:home")).content.decode()
    assert 'data-testid="published-count">3<' in body
    assert 'data-testid="calendar-warning"' in body
    assert "2027 年节假日安排尚未确认" in body


@time_machine.travel(NOW, tick=False)
def test_home_no_warning_when_next_year_is_confirmed(client, org):
    _schedule(2026, confirmed=True)
    _schedule(2027, confirmed=True)
    client.force_login(org.user("scjg-reviewer"))
    body = client.get(reverse("web:home")).content.decode()
    assert 'data-testid="calendar-warning"' not in body


def test_home_for_an_account_without_catalog_rights_has_no_catalog_figures(client, org, items):
    client.force_login(org.user("auditor"))
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert 'data-testid="published-count"' not in response.content.decode()


# --- catalog -------------------------------------------------------------------------


def test_catalog_lists_items_with_limits_and_compression(client, org, items):
    client.force_login(org.user("clerk"))
    response = client.get(reverse("web:catalog"))
    assert response.status_code == 200
    body = response.content.decode()
    for code in ("SC001", "SW001", "SC002"):
        assert f'data-item="{code}"' in body
    assert "市场监督管理局" in body and "税务局" in body
    assert "50.0%" in body  # SC001: 1 - 10/20
    assert "60.0%" in body  # SW001: 1 - 4/10
    # catalog total: 1 - (10 + 4) / (20 + 10), items with a legal limit of 0 left out
    assert 'data-testid="catalog-ratio">53.3%<' in body
    assert ">30<" in body and ">14<" in body
    assert "承诺件" in body or "promised" in body


def test_catalog_filters_by_department_type_and_search(client, org, items):
    client.force_login(org.user("clerk"))
    body = client.get(reverse("web:catalog"), {"department": "SW"}).content.decode()
    assert 'data-item="SW001"' in body and 'data-item="SC001"' not in body
    body = client.get(reverse("web:catalog"), {"handling_type": "instant"}).content.decode()
    assert 'data-item="SC002"' in body and 'data-item="SC001"' not in body
    body = client.get(reverse("web:catalog"), {"q": "食品"}).content.decode()
    assert 'data-item="SC001"' in body and 'data-item="SW001"' not in body


def test_catalog_unknown_filter_gets_a_message(client, org, items):
    client.force_login(org.user("clerk"))
    response = client.get(reverse("web:catalog"), {"department": "NOPE"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "NOPE" in body and 'role="alert"' in body
    assert 'data-item="SC001"' not in body


def test_catalog_htmx_request_gets_the_results_fragment(client, org, items):
    client.force_login(org.user("clerk"))
    response = client.get(reverse("web:catalog"), {"department": "SCJG"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="catalog-results">')
    assert "<html" not in body and "main-nav" not in body
    assert 'data-item="SC001"' in body and 'data-item="SW001"' not in body


def test_catalog_shows_only_the_users_center(client, org, items):
    other = Center.objects.create(code="OTHER", name="其他中心", level=Center.Level.COUNTY)
    other_dept = Department.objects.create(center=other, code="SCJG", name="其他市场监管")
    make_item(replace(org, center=other, dept_a=other_dept), code="OT001", name="其他中心事项")
    client.force_login(org.user("clerk"))
    body = client.get(reverse("web:catalog")).content.decode()
    assert "OT001" not in body


def test_item_detail(client, org, items):
    client.force_login(org.user("sw-reviewer"))
    response = client.get(reverse("web:item", args=["SC001"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "食品经营许可" in body
    assert "审查岗" in body  # a step's post
    assert "营业执照" in body  # a material
    assert 'data-testid="item-ratio">50.0%<' in body


def test_item_detail_unknown_code_is_404(client, org, items):
    client.force_login(org.user("clerk"))
    response = client.get(reverse("web:item", args=["NOPE"]))
    assert response.status_code == 404
    assert "NOPE" in response.content.decode()


# --- calendar ------------------------------------------------------------------------

NATIONAL_DAY_2026 = [dt.date(2026, 10, d) for d in range(1, 8)]


def test_calendar_page_lists_years_with_status(client, org):
    _schedule(2026, confirmed=True, holidays=NATIONAL_DAY_2026, adjusted=[dt.date(2026, 10, 10)])
    CalendarYear.objects.filter(year=2027).delete()
    calendar_selectors.invalidate()
    client.force_login(org.user("supervisor"))
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("web:calendar"))
    body = response.content.decode()
    assert response.status_code == 200
    row_2026 = body.split('data-year="2026"')[1].split("</tr>")[0]
    row_2027 = body.split('data-year="2027"')[1].split("</tr>")[0]
    assert "已确认" in row_2026
    assert "未确认" in row_2027


def test_due_date_calculator_htmx_fragment(client, org):
    _schedule(2026, confirmed=True, holidays=NATIONAL_DAY_2026, adjusted=[dt.date(2026, 10, 10)])
    client.force_login(org.user("supervisor"))
    response = client.get(reverse("web:calendar_due_date"), {"start": "2026-09-30", "days": "5"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="due-result"')
    assert "<html" not in body
    assert 'data-testid="due-date">2026-10-13<' in body  # domain.md §3's example
    assert "23:59:59" in body
    assert "due-unconfirmed" not in body


def test_due_date_calculator_flags_unconfirmed_years(client, org):
    CalendarYear.objects.filter(year=2031).delete()
    calendar_selectors.invalidate()
    client.force_login(org.user("supervisor"))
    response = client.get(reverse("web:calendar_due_date"), {"start": "2031-03-03", "days": "5"}, **HTMX)
    body = response.content.decode()
    assert 'data-testid="due-date">2031-03-10<' in body  # Monday to Friday
    assert "due-unconfirmed" in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "30/09/2026", "days": "5"}, "YYYY-MM-DD"),
        ({"start": "2026-09-30", "days": "five"}, "工作日数"),
        ({"start": "2026-09-30", "days": "-1"}, "工作日数"),
        ({"start": "1999-01-01", "days": "5"}, "1999-01-01"),
    ],
)
def test_due_date_calculator_bad_input_says_what_to_fix(client, org, params, message):
    client.force_login(org.user("supervisor"))
    response = client.get(reverse("web:calendar_due_date"), params, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200  # htmx swaps the message in
    assert 'class="errorlist"' in body and message in body
    assert "due-date" not in body


def test_due_date_calculator_without_htmx_renders_the_whole_page(client, org):
    client.force_login(org.user("supervisor"))
    ok = client.get(reverse("web:calendar_due_date"), {"start": "2026-09-30", "days": "5"})
    assert ok.status_code == 200 and "<html" in ok.content.decode()
    bad = client.get(reverse("web:calendar_due_date"), {"start": "x", "days": "5"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()
