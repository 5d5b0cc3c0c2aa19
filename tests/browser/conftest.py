"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's
live server. Run with `.venv/bin/pytest -m browser -p no:xdist tests/browser`.

No browser is downloaded: the system chromium at /usr/bin/chromium is used. Screenshots of
every page visited go to var/screenshots/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from onewindow.calendar import selectors as calendar_selectors
from onewindow.calendar.models import CalendarDay, CalendarYear
from onewindow.catalog.models import (
    Bundle,
    BundleField,
    BundleFieldMapping,
    BundleItem,
    BundleMaterial,
    BundlePhase,
    ServiceItemVersion,
    Theme,
)
from tests.factories import OrgFixture, build_org, make_item

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator:
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # in a thread with a running loop unless told that this is fine.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def accept_food_case(guide_data):
    """Accept a food-permit case (SC001) at the window, every material received; returns the case."""
    from onewindow.cases import services as case_services
    from onewindow.cases.applicants import resident_id_check
    from onewindow.catalog.models import Material

    def accept():
        food = ServiceItemVersion.objects.get(item__code="SC001", status=ServiceItemVersion.Status.PUBLISHED)
        return case_services.case_intake(
            actor=guide_data.user("clerk"),
            item_code="SC001",
            center=guide_data.center,
            applicant={
                "kind": "person",
                "name": "王小明",
                "id_type": "resident_id",
                "id_number": "11010119900307123" + resident_id_check("11010119900307123"),
                "phone": "13912345678",
                "address": "测试市人民路1号",
            },
            channel="window",
            materials=[{"material": m.pk, "received": True} for m in Material.objects.filter(version=food)],
            action="accept",
        )

    return accept


@pytest.fixture
def guide_data(transactional_db) -> OrgFixture:
    """A center with a realistic small catalog: items of two departments, a theme, a bundle."""
    org = build_org()
    # transactional_db empties the tables, the prefilled calendar too: give 2026 its National Day.
    year, _ = CalendarYear.objects.update_or_create(year=2026, defaults={"confirmed": True})
    for day in range(1, 8):
        CalendarDay.objects.update_or_create(
            date=dt.date(2026, 10, day),
            defaults={"year": year, "kind": CalendarDay.Kind.HOLIDAY, "name": "国庆节"},
        )
    CalendarDay.objects.update_or_create(
        date=dt.date(2026, 10, 10),
        defaults={"year": year, "kind": CalendarDay.Kind.ADJUSTED_WORKDAY, "name": "国庆节"},
    )
    calendar_selectors.invalidate()
    org.center.address = "人民路1号市民中心二楼"
    org.center.phone = "0571-12345"
    org.center.opening_hours = "周一至周五 9:00–17:00"
    org.center.save()
    org.dept_a.phone = "0571-88880001"
    org.dept_a.save()
    food = make_item(org, code="SC001", name="食品经营许可", legal_limit=20, promised_limit=6)
    licence = make_item(
        org,
        code="SC002",
        name="营业执照变更登记",
        legal_limit=15,
        promised_limit=0,
        handling_type=ServiceItemVersion.HandlingType.INSTANT,
    )
    tax = make_item(
        org, code="SW001", name="税务登记", department=org.dept_b, legal_limit=10, promised_limit=1
    )
    ServiceItemVersion.objects.filter(pk=food.pk).update(
        legal_basis="《中华人民共和国食品安全法》第三十五条\n《食品经营许可管理办法》第二条",
        conditions="1. 具有与经营的食品品种、数量相适应的经营场所；\n2. 有专职或兼职的食品安全管理人员。",
        procedure="申请 → 受理 → 审查 → 决定 → 发证",
        fees="不收费",
        fee_basis="《食品经营许可管理办法》第五十条",
        contact="0571-88880001",
        online_allowed=True,
        appointment_allowed=True,
        visits_required=1,
        green_channel_eligible=True,
    )
    ServiceItemVersion.objects.filter(pk__in=[licence.pk, tax.pk]).update(
        online_allowed=True, visits_required=0, fees="不收费"
    )
    theme = Theme.objects.create(code="QYKB", name="企业开办", audience=Theme.Audience.ENTERPRISE)
    for version in (food, licence, tax):
        version.themes.add(theme)
    bundle = Bundle.objects.create(
        center=org.center,
        code="QYSL",
        name="企业设立登记一件事",
        description="营业执照、税务登记一表申请、并联审批、统一发证。",
        lead_department=org.dept_a,
        promised_limit=2,
    )
    phase = BundlePhase.objects.create(bundle=bundle, position=1, name="登记发证")
    BundleItem.objects.create(bundle=bundle, item=licence.item, phase=phase, position=1)
    BundleItem.objects.create(bundle=bundle, item=tax.item, phase=phase, position=2)
    field = BundleField.objects.create(bundle=bundle, key="company_name", label="企业名称", position=1)
    BundleFieldMapping.objects.create(field=field, item=licence.item, target="name")
    material = BundleMaterial.objects.create(bundle=bundle, position=1, name="法定代表人身份证明")
    material.items.set([licence.item, tax.item])
    return org
