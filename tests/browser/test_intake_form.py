"""The intake form's small script (web/static/web/intake.js) in a real browser: "select all
materials" and the enterprise applicant's fields (issue 11 §1.6)."""

from __future__ import annotations

import pytest

from onewindow.catalog.models import Material

from .test_case_flow import login

pytestmark = pytest.mark.browser


def test_select_all_materials_and_the_enterprise_fields(page, guide_data, screenshot):
    materials = list(Material.objects.filter(version__item__code="SC001").order_by("position"))
    assert materials
    login(page, "clerk")
    page.goto("/staff/cases/intake/?item=SC001")
    page.wait_for_selector("[data-testid=materials-checklist]")
    boxes = [page.locator(f"input[name=m{m.pk}_received]") for m in materials]
    # select all, and clear all
    page.check("input[name=all_received]")
    assert all(box.is_checked() for box in boxes)
    page.uncheck("input[name=all_received]")
    assert not any(box.is_checked() for box in boxes)
    # ticking every row by hand ticks "all"; clearing one clears it
    for box in boxes:
        box.check()
    assert page.locator("input[name=all_received]").is_checked()
    boxes[0].uncheck()
    assert not page.locator("input[name=all_received]").is_checked()

    # a person: no legal representative, the ID type is chosen
    assert not page.locator("[data-testid=enterprise-fields]").is_visible()
    assert page.locator("#id_applicant_id_type").is_visible()
    # an enterprise: the credit code and the legal representative
    page.check("input[name=applicant_kind][value=enterprise]")
    assert page.locator("[data-testid=enterprise-fields]").is_visible()
    assert page.locator("#id_applicant_legal_rep_name").is_visible()
    assert not page.locator("#id_applicant_id_type").is_visible()
    assert page.locator("#id_applicant_id_type").input_value() == "uscc"
    assert "统一社会信用代码" in page.locator("[data-field=applicant_id_number] label").inner_text()
    screenshot(page, "case-intake-enterprise")
    page.check("input[name=applicant_kind][value=person]")
    assert not page.locator("[data-testid=enterprise-fields]").is_visible()
    assert page.locator("#id_applicant_id_type").input_value() == "resident_id"
