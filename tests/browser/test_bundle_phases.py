"""The construction bundle's phases in a real browser (issue 13 §6): 施工许可 waits while 工程建设许可
has an open sub-case, and opens by itself when the last one is decided; with the phases merged
(带方案出让) it opens together with 工程建设许可. Departments decide through the case pages; the
bundle page shows which sub-cases are open."""

from __future__ import annotations

import pytest

from onewindow.approvals.models import BundleCase
from tests.approvals.conftest import build_world
from tests.browser.test_case_flow import do_action, login

pytestmark = pytest.mark.browser

PHASES = [("立项用地规划许可", 3, False), ("工程建设许可", 3, False), ("施工许可", 3, False)]
ITEM_PHASES = {"SCJG-B1": 0, "GA-B1": 1, "SW-B1": 1, "RS-B1": 2}


def _opened(page, number: str) -> set[str]:
    page.goto(f"/staff/bundles/{number}/")
    page.wait_for_selector("[data-testid=bundle-timeline]")
    blocks = page.locator("[data-testid=sub-case]")
    return {
        blocks.nth(i).get_attribute("data-item")
        for i in range(blocks.count())
        if blocks.nth(i).locator("a.case-number").count()
    }


def _decide_in_browser(page, world, case) -> None:
    code = case.department.code.lower()
    login(page, f"{code}-reviewer")
    do_action(page, case.display_number, "pass_step", opinion="材料齐全")
    login(page, f"{code}-approver")
    do_action(page, case.display_number, "grant", opinion="准予许可")


def test_the_construction_permit_waits_for_the_phase_before(page, guide_data, screenshot):
    world = build_world(guide_data, promised_limit=10, phases=PHASES, item_phases=ITEM_PHASES)
    bc = world.intake()
    login(page, "clerk")
    assert _opened(page, bc.number) == {"SCJG-B1"}
    screenshot(page, "bundle-phases-first")
    _decide_in_browser(page, world, bc.sub_cases.get(item_code="SCJG-B1").case)
    login(page, "clerk")
    assert _opened(page, bc.number) == {"SCJG-B1", "GA-B1", "SW-B1"}
    _decide_in_browser(page, world, bc.sub_cases.get(item_code="GA-B1").case)
    login(page, "clerk")
    assert "RS-B1" not in _opened(page, bc.number)  # 工程建设许可 still has SW-B1 open
    screenshot(page, "bundle-phases-gate")
    _decide_in_browser(page, world, bc.sub_cases.get(item_code="SW-B1").case)
    login(page, "clerk")
    assert "RS-B1" in _opened(page, bc.number)
    bc.refresh_from_db()
    assert bc.status == BundleCase.Status.IN_PROGRESS


def test_merged_phases_open_together(page, guide_data, screenshot):
    phases = [*PHASES[:2], ("施工许可", 3, True)]
    world = build_world(guide_data, promised_limit=10, phases=phases, item_phases=ITEM_PHASES)
    bc = world.intake()
    _decide_in_browser(page, world, bc.sub_cases.get(item_code="SCJG-B1").case)
    login(page, "clerk")
    assert _opened(page, bc.number) == {"SCJG-B1", "GA-B1", "SW-B1", "RS-B1"}
    assert page.locator("[data-testid=bundle-phases] tr[data-phase='3'] .badge").count() == 1
    screenshot(page, "bundle-phases-merged")
