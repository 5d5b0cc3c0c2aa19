"""The 一件事 panel of the supervisor's board in a real browser: a 企业开办 bundle accepted on a
Monday whose 公安局 sub-case never moved is red a week later; after the sweeps ran, the
supervisor sees the bundle red on the board with 公安局, its step and handler holding it up."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from onewindow.approvals.levels import bundle_levels_sweep
from onewindow.cases.tests.conftest import load_calendar_2026
from onewindow.supervision.sweep import sweep
from tests.approvals.conftest import build_world
from tests.factories import build_org

from .test_supervision_board import login

pytestmark = pytest.mark.browser

ACCEPTED = dt.datetime(2026, 9, 7, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai
LATE = dt.datetime(2026, 9, 14, 2, 0, tzinfo=dt.UTC)  # the next Monday: past the 4-day joint limit


@pytest.fixture
def bundle_world(transactional_db):
    load_calendar_2026()  # transactional_db empties the prefilled calendar
    return build_world(build_org(), promised_limit=4)


def test_the_board_shows_a_red_bundle_and_the_late_department(page, bundle_world, screenshot):
    with time_machine.travel(ACCEPTED, tick=True) as traveller:
        bc = bundle_world.intake()
        for sub in bc.sub_cases.select_related("case", "department"):
            if sub.department.code != "GA":
                bundle_world.decide(sub.case)
        traveller.move_to(LATE)
        assert sweep().counts["case_red"] == 1
        assert bundle_levels_sweep() == 1

        login(page, "supervisor")
        page.goto("/staff/supervision/")
        panel = page.locator("[data-testid=bundle-board]")
        assert panel.get_attribute("hx-trigger") == "every 30s"
        row = page.locator(f"table[data-testid=bundles] tr[data-bundle='{bc.number}']")
        assert row.get_attribute("data-bundle-level") == "red"
        assert row.locator("[data-testid=level-red]").first.is_visible()
        assert "企业开办一件事" in row.inner_text()
        holdup = row.locator("table[data-testid=holdups] tr[data-holdup-level=red]")
        assert holdup.count() == 1
        assert holdup.locator("[data-testid=holdup-department]").inner_text().strip() == "公安局"
        assert holdup.locator("[data-testid=holdup-step]").inner_text().strip() == "审查"
        assert holdup.locator("[data-testid=holdup-handler]").inner_text().strip() not in ("", "—")
        assert "卡在" in page.locator("#bundles").inner_text()
        page.locator("#bundles").scroll_into_view_if_needed()
        screenshot(page, "supervision-bundle-board")
