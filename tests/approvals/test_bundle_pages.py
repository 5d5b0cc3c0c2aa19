"""The staff bundle pages (issue 13 §5): the window's bundle intake, the bundle page (信息共享 for
every department with a sub-case, 404 for the others), the action forms and the one pickup."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.approvals.models import BundleCase, BundleNotice
from onewindow.cases.facts import Status
from onewindow.cases.models import Case
from onewindow.org.models import Department
from tests.factories import make_user

from .conftest import APPLICANT, build_world

INTAKE = "/staff/bundles/intake/"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_data(world: Any, **overrides: str) -> dict[str, str]:
    data = {
        "bundle": world.bundle.code,
        "applicant_kind": "enterprise",
        "applicant_name": APPLICANT["name"],
        "applicant_id_type": "uscc",
        "applicant_id_number": APPLICANT["id_number"],
        "applicant_phone": APPLICANT["phone"],
        "applicant_address": APPLICANT["address"],
        "applicant_legal_rep_name": APPLICANT["legal_rep_name"],
        "applicant_legal_rep_id_number": APPLICANT["legal_rep_id_number"],
        "delivery_method": "pickup",
        "f_company_name": "星河科技",
        "m1_received": "on",
        "m2_received": "on",
        "note": "",
        "action": "accept",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def qworld(org):
    return build_world(org, questions=True)


def test_the_intake_page_lists_the_bundles_and_the_items_follow_the_answers(qworld) -> None:
    clerk = client_for(qworld.org.user("clerk"))
    page = clerk.get(INTAKE)
    assert page.status_code == 200
    assert 'data-bundle="QYKB"' in page.content.decode()
    page = clerk.get(INTAKE, {"bundle": "QYKB"}).content.decode()
    assert "是否需要刻制公章？" in page and 'data-testid="bundle-items-pending"' in page
    # a changed answer (data-autosubmit) re-renders with the items, keeping what was typed
    page = clerk.post(INTAKE, {"bundle": "QYKB", "q_seal": "no", "applicant_name": "某某"}).content.decode()
    assert 'data-item="SCJG-B1"' in page and 'data-item="GA-B1"' not in page and "某某" in page
    assert 'class="errorlist"' not in page
    page = clerk.post(INTAKE, {"bundle": "QYKB", "q_seal": "yes"}).content.decode()
    assert 'data-item="GA-B1"' in page
    assert BundleCase.objects.count() == 0


def test_the_clerk_accepts_a_bundle_and_lands_on_its_page(qworld) -> None:
    clerk = client_for(qworld.org.user("clerk"))
    response = clerk.post(INTAKE, post_data(qworld, q_seal="yes"))
    assert response.status_code == 302, response.content.decode()[:2000]
    bc = BundleCase.objects.get()
    assert bc.status == BundleCase.Status.IN_PROGRESS and bc.sub_cases.exclude(case=None).count() == 4
    notice = bc.notices.get(kind=BundleNotice.Kind.ACCEPTANCE)
    assert response["Location"] == reverse("web:bundle_case", args=[bc.number]) + f"?notice={notice.number}"
    page = clerk.get(response["Location"]).content.decode()
    assert "受理" in page and 'data-testid="fresh-notice"' in page
    assert page.count('data-testid="sub-case"') == 4
    assert APPLICANT["id_number"] not in page  # masked
    printed = clerk.get(reverse("web:bundle_notice", args=[bc.number, notice.number])).content.decode()
    assert "GA事项" in printed and "公安局" in printed and 'data-testid="joint-due"' in printed


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"applicant_name": ""}, "applicant_name", None),
        ({"applicant_id_number": "91350100M000100Y44"}, "applicant_id_number", None),
        ({"f_company_name": ""}, "f_company_name", "企业名称"),
        ({"q_seal": None}, "q_seal", "是否需要刻制公章"),
        ({"q_seal": "maybe"}, "q_seal", None),
        ({"m1_received": None, "note": ""}, "note", "营业执照"),
        ({"action": "refuse", "note": ""}, "note", None),
        ({"action": "correct"}, None, None),
    ],
)
def test_each_error_is_shown_next_to_its_field_in_chinese_and_nothing_is_written(
    qworld, overrides, field, text
) -> None:
    clerk = client_for(qworld.org.user("clerk"))
    data = post_data(qworld, q_seal="yes")
    data.update({k: v for k, v in overrides.items() if v is not None})
    for key in [k for k, v in overrides.items() if v is None]:
        data.pop(key, None)
    response = clerk.post(INTAKE, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "请检查" in page or "检查" in page
    if field is not None:
        assert f'data-testid="error-{field}"' in page, page[:3000]
        block = page.split(f'data-testid="error-{field}"', 1)[1].split("</ul>", 1)[0]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in block), block
        if text:
            assert text in block
    else:
        assert "请列出" in page or "告知" in page or "材料" in page
    assert BundleCase.objects.count() == 0 and not Case.objects.exists()


def test_a_correction_at_intake_lists_the_ticked_materials(qworld) -> None:
    clerk = client_for(qworld.org.user("clerk"))
    data = post_data(
        qworld, q_seal="no", action="correct", c1="on", c1_note="已过期", x1_name="公章样式", x1_note="缺"
    )
    response = clerk.post(INTAKE, data)
    assert response.status_code == 302
    bc = BundleCase.objects.get()
    assert bc.status == BundleCase.Status.CORRECTION_REQUESTED
    notice = bc.notices.get(kind=BundleNotice.Kind.CORRECTION)
    assert [i["name"] for i in notice.data["items"]] == ["营业执照", "公章样式"]
    # the corrected materials came: the accept form is offered on the bundle page
    page = clerk.get(reverse("web:bundle_case", args=[bc.number])).content.decode()
    assert 'data-testid="action-accept"' in page and 'data-testid="action-refuse"' in page


def test_a_department_with_a_sub_case_sees_every_department_and_others_get_404(world) -> None:
    bc = world.intake()
    subs = list(bc.sub_cases.select_related("case").order_by("position"))
    world.decide(subs[1].case, opinion="公安审查意见")
    url = reverse("web:bundle_case", args=[bc.number])
    page = client_for(world.reviewer("SW")).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "公安审查意见" in html and "GA事项" in html and html.count('data-testid="sub-case"') == 4
    other = Department.objects.create(center=world.org.center, code="ZJ", name="住建局")
    stranger = make_user("zj-reviewer", center=world.org.center, department=other, roles=("reviewer",))
    assert client_for(stranger).get(url).status_code == 404
    # the staff case page of a sub-case links its bundle (own department only)
    case_page = client_for(world.reviewer("SW")).get(reverse("web:case", args=[subs[2].case.display_number]))
    assert (
        bc.number in case_page.content.decode() and 'data-testid="case-bundle"' in case_page.content.decode()
    )


def test_the_pickup_list_shows_a_decided_bundle_and_one_delivery_closes_all(world) -> None:
    bc = world.intake()
    for sub in bc.sub_cases.select_related("case"):
        world.decide(sub.case)
    bc.refresh_from_db()
    assert bc.status == BundleCase.Status.DECIDED
    clerk = client_for(world.org.user("clerk"))
    pickup = clerk.get(reverse("web:pickup")).content.decode()
    assert f'data-bundle-case="{bc.number}"' in pickup
    page = clerk.get(reverse("web:bundle_case", args=[bc.number])).content.decode()
    assert 'data-testid="action-deliver"' in page
    act = reverse("web:bundle_case_act", args=[bc.number])
    stale = clerk.post(
        act, {"action": "deliver", "deliver-version": bc.version - 1, "deliver-method": "pickup"}
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    response = clerk.post(
        act,
        {
            "action": "deliver",
            "deliver-version": bc.version,
            "deliver-method": "pickup",
            "deliver-recipient_relation": "legal_representative",
            "deliver-recipient_name": "张三",
            "deliver-recipient_id_number": "11010519491231002X",
        },
    )
    assert response.status_code == 302
    bc.refresh_from_db()
    assert bc.status == BundleCase.Status.DELIVERED
    assert set(Case.objects.filter(bundle_link__bundle_case=bc).values_list("status", flat=True)) == {
        Status.DELIVERED
    }
    receipt = clerk.get(response["Location"]).content.decode()
    assert receipt.count('data-testid="receipt-result"') == 4 and "data-print" in receipt
    assert f'data-bundle-case="{bc.number}"' not in clerk.get(reverse("web:pickup")).content.decode()


def test_a_delivery_problem_is_shown_next_to_the_field(world) -> None:
    bc = world.intake()
    for sub in bc.sub_cases.select_related("case"):
        world.decide(sub.case)
    bc.refresh_from_db()
    clerk = client_for(world.org.user("clerk"))
    response = clerk.post(
        reverse("web:bundle_case_act", args=[bc.number]),
        {"action": "deliver", "deliver-version": bc.version, "deliver-method": "mail"},
    )
    assert response.status_code == 422
    bc.refresh_from_db()
    assert bc.status == BundleCase.Status.DECIDED


def test_the_list_filters_and_masks(world) -> None:
    bc = world.intake()
    clerk = client_for(world.org.user("clerk"))
    page = clerk.get(
        reverse("web:bundle_cases"), {"status": "in_progress", "bundle": "QYKB"}
    ).content.decode()
    assert bc.number in page and APPLICANT["id_number"] not in page
    page = clerk.get(reverse("web:bundle_cases"), {"status": "delivered"}).content.decode()
    assert bc.number not in page


def test_the_demo_enterprise_opening_is_taken_in_through_the_page(db) -> None:
    """The demo's QYKB as loaded: three 是 answers, the one form of the demo, every material."""
    from onewindow.catalog.models import Bundle
    from onewindow.demo.loader import load_demo
    from onewindow.org.models import User

    load_demo(history=False)
    bundle = Bundle.objects.get(code="QYKB")
    clerk = client_for(User.objects.get(username="clerk"))
    page = clerk.post(INTAKE, {"bundle": "QYKB", "q_seal": "yes", "q_invoice": "yes", "q_staff": "yes"})
    assert page.content.decode().count('<tr data-item="') == 4
    data = {
        "bundle": "QYKB",
        "q_seal": "yes",
        "q_invoice": "yes",
        "q_staff": "yes",
        "applicant_kind": "enterprise",
        "applicant_name": "示范市星河科技有限公司",
        "applicant_id_type": "uscc",
        "applicant_id_number": APPLICANT["id_number"],
        "applicant_phone": APPLICANT["phone"],
        "applicant_legal_rep_name": "张三",
        "delivery_method": "pickup",
        "f_enterprise_name": "示范市星河科技有限公司",
        "f_enterprise_type": "有限责任公司",
        "f_legal_representative": "张三",
        "f_legal_representative_id": APPLICANT["legal_rep_id_number"],
        "f_registered_capital": "100",
        "f_business_scope": "软件开发",
        "f_address": "示范市人民路1号",
        "f_contact_phone": "13800138000",
        "all_received": "on",
        "action": "accept",
    }
    response = clerk.post(INTAKE, data)
    errors = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert response.status_code == 302, errors
    bc = BundleCase.objects.get(bundle=bundle)
    assert {s.department.code for s in bc.sub_cases.select_related("department")} == {
        "SCJG",
        "GA",
        "SW",
        "RS",
    }
    page = clerk.get(response["Location"]).content.decode()
    assert page.count('data-testid="sub-case"') == 4 and APPLICANT["legal_rep_id_number"] not in page


def test_the_action_forms_send_the_contract_parameters() -> None:
    """The forms of the actions whose handlers come later (corrections, extensions) send what
    the contract names; the delivery leaves out the other method's fields."""
    from onewindow.web.bundles.forms import BundleActionForm

    materials = [{"position": 1, "name": "营业执照"}, {"position": 2, "name": "身份证明"}]

    def params(action: str, data: dict[str, Any]) -> dict[str, Any]:
        form = BundleActionForm(
            {f"{action}-{k}": v for k, v in {"version": 3, **data}.items()},
            action=action,
            version=3,
            materials=materials,
        )
        assert form.is_valid(), form.errors
        return form.service_params()

    assert params(
        "request_correction", {"item0_name": "营业执照", "item0_note": "已过期", "item2_name": "章程"}
    ) == {"items": [{"name": "营业执照", "note": "已过期"}, {"name": "章程", "note": ""}]}
    assert params("receive_correction", {"materials": ["1", "2"], "note": "补齐"}) == {
        "materials": [1, 2],
        "note": "补齐",
    }
    assert params("request_extension", {"days": 15, "reason": "需联合踏勘"}) == {
        "days": 15,
        "reason": "需联合踏勘",
    }
    assert params("reject_extension", {"note": "理由不充分"}) == {"note": "理由不充分"}
    assert not BundleActionForm(
        {"reject_extension-version": 3}, action="reject_extension", version=3, materials=materials
    ).is_valid()
    assert params(
        "deliver", {"method": "mail", "carrier": "EMS", "tracking_number": "E1", "recipient_name": "x"}
    ) == {
        "method": "mail",
        "carrier": "EMS",
        "tracking_number": "E1",
    }
