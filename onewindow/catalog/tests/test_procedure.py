"""The procedure text cannot silently disagree with the step limits (issue 11, §1.9)."""

from __future__ import annotations

import pytest

from onewindow.catalog import procedure, rules, selectors, services
from onewindow.catalog.tests.conftest import PROMISED_STEPS, item_spec
from onewindow.core.errors import ValidationFailed

STEPS = [procedure.Step(s["name"], s["limit_days"], s["on_site"]) for s in PROMISED_STEPS]  # 1, 3, 2


@pytest.mark.parametrize(
    "text",
    [
        "",
        "受理、审查、决定",  # no limits given: nothing to disagree with
        "申请 → 受理(1个工作日) → 审查(3个工作日,部门办理) → 决定(2个工作日) → 办结送达。",
        "受理（1个工作日）；审查（3 个工作日）；决定（2个工作日）",
        procedure.describe(STEPS),
        "承诺时限(6个工作日)内办结。",  # not a step
    ],
)
def test_texts_that_agree(text):
    assert procedure.mismatches(text, STEPS) == []


def test_a_wrong_limit_and_missing_steps(english):
    problems = procedure.mismatches("受理(当场) → 审查(5个工作日) → 决定(2个工作日)", STEPS)
    assert problems[0].startswith(
        "The procedure text says “受理(当场)”, but step 受理 has a limit of 1 working day"
    )
    assert "“审查(5个工作日)”, but step 审查 has a limit of 3 working days" in problems[1]
    assert problems[-1].startswith("A text that agrees with the steps: 申请 → 受理（1个工作日）")
    problems = procedure.mismatches("受理(1个工作日) → 决定(2个工作日)", STEPS)
    assert "but not of “审查”" in problems[0]


def test_a_longer_step_name_wins():
    steps = [procedure.Step("审查", 1), procedure.Step("技术审查", 4)]
    assert procedure.mismatches("审查(1个工作日) → 技术审查(4个工作日)", steps) == []
    assert len(procedure.mismatches("审查(1个工作日) → 技术审查(1个工作日)", steps)) == 2


def test_the_item_rule_reports_it_on_the_procedure_field(org, english):
    spec = item_spec(procedure="受理(1个工作日) → 审查(4个工作日) → 决定(2个工作日)")
    errors = rules.check_item(spec, services.catalog_codes(org.center))
    assert [e.field for e in errors] == ["procedure", "procedure"]
    assert "step 审查 has a limit of 3 working days" in errors[0].message


def test_publishing_refuses_a_disagreeing_text(org, english):
    services.catalog_import_specs(center=org.center, themes=[], items=[item_spec()], bundles=[])
    item = selectors.item_for_edit("SC-001", center=org.center)
    draft = services.item_new_draft(item=item)
    # a draft written before the rule (or by hand) is still refused at publishing
    type(draft).objects.filter(pk=draft.pk).update(
        procedure="受理(1个工作日) → 审查(9个工作日) → 决定(2个工作日)"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.item_publish(version=draft)
    assert "procedure" in exc.value.details
    with pytest.raises(ValidationFailed):
        services.item_save_draft(
            center=org.center, spec=item_spec(procedure="受理(1个工作日) → 审查(9个工作日) → 决定(2个工作日)")
        )
    ok = item_spec(procedure="受理(1个工作日) → 审查(3个工作日) → 决定(2个工作日)")
    draft = services.item_save_draft(center=org.center, spec=ok)
    assert services.item_publish(version=draft).procedure == ok["procedure"]


def test_step_names_with_a_parenthesis():
    steps = [procedure.Step("受理", 0), procedure.Step("决定(含公示)", 2)]
    assert procedure.mismatches("受理(当场) → 决定(含公示)(2个工作日) → 办结送达", steps) == []
    assert len(procedure.mismatches("受理(当场) → 决定(含公示)(3个工作日)", steps)) == 2


def test_the_admin_shows_the_disagreement_on_the_procedure_field(client, org):
    from django.urls import reverse

    from onewindow.catalog.models import ServiceItem
    from onewindow.catalog.tests.test_admin import staff_client, version_post

    admin_client = staff_client(client, org.user("centeradmin"))
    data = {**version_post(org), "procedure": "受理(1个工作日) → 决定(3个工作日)"}  # the step says 2
    response = admin_client.post(reverse("admin:catalog_serviceitemversion_add"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "The procedure text says “决定(3个工作日)”, but step 决定 has a limit of 2 working days" in body
    assert (
        "A text that agrees with the steps: 申请 → 受理（1个工作日） → "
        "决定（2个工作日，部门办理） → 办结送达。" in body
    )
    assert not ServiceItem.objects.exists()
    data["procedure"] = "受理(1个工作日) → 决定(2个工作日)"
    response = admin_client.post(reverse("admin:catalog_serviceitemversion_add"), data)
    assert response.status_code == 302
