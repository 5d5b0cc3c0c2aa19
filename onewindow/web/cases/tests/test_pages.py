"""The staff case pages: intake, the case page and its actions, files, worklist, case search."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.models import Case, CaseEvent, CaseFile
from onewindow.core.models import AuditEntry
from tests.factories import make_item

from .conftest import ID_NUMBER, PHONE, act, intake

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
MASKED_ID = ID_NUMBER[:3] + "*" * 11 + ID_NUMBER[-4:]


def intake_form(version: Any, action: str = "accept", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "item_code": version.item.code,
        "action": action,
        "channel": "window",
        "applicant_kind": "person",
        "applicant_name": "张三",
        "applicant_id_type": "resident_id",
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": PHONE,
        "applicant_address": "测试市人民路1号",
        "delivery_method": "pickup",
        "note": "",
    }
    for m in version.materials.all():
        data[f"m{m.pk}_received"] = "on"
        data[f"m{m.pk}_form"] = m.form
        data[f"m{m.pk}_copies"] = "1"
        data[f"m{m.pk}_note"] = ""
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- intake ----------------------------------------------------------------------------------


def test_intake_finds_items_by_name_code_or_department(client, cx, food, tax):
    client.force_login(cx.user("clerk"))
    page = client.get(reverse("web:intake"))
    assert page.status_code == 200
    assert 'id="item-q"' in page.content.decode()
    found = client.get(reverse("web:intake_items"), {"q": "食品"}, **HTMX).content.decode()
    assert 'data-item="SC001"' in found and 'data-item="SW001"' not in found
    found = client.get(reverse("web:intake_items"), {"q": "SW001"}, **HTMX).content.decode()
    assert 'data-item="SW001"' in found and 'data-item="SC001"' not in found
    found = client.get(reverse("web:intake_items"), {"department": "SW"}, **HTMX).content.decode()
    assert 'data-item="SW001"' in found and 'data-item="SC001"' not in found
    assert "<html" not in found  # a fragment
    form = client.get(reverse("web:intake"), {"item": "SC001"}).content.decode()
    assert 'data-testid="materials-checklist"' in form
    for m in food.materials.all():
        assert f'data-material="{m.pk}"' in form and m.name in form
    assert client.get(reverse("web:intake"), {"item": "NOPE"}).status_code == 404


def test_intake_accept_leads_to_the_acceptance_notice(client, cx, food):
    client.force_login(cx.user("clerk"))
    response = client.post(reverse("web:intake"), intake_form(food))
    case = Case.objects.get()
    assert case.status == "accepted" and case.number
    notice = case.notices.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:case_notice", args=[case.number, notice.number])
    page = client.get(response["Location"]).content.decode()
    assert 'data-kind="acceptance"' in page
    assert case.number in page and "测试市政务服务中心" in page
    assert "2026年3月16日" in page  # the promised completion date
    assert MASKED_ID in page and ID_NUMBER not in page
    assert "<svg" in page


def test_intake_correction_lists_every_checked_material_with_its_note(client, cx, food):
    client.force_login(cx.user("clerk"))
    first, second, third = food.materials.all()
    data = intake_form(
        food,
        "correct",
        **{
            f"c{first.pk}": "on",
            f"c{first.pk}_note": "缺少法定代表人签字",
            f"c{third.pk}": "on",
            f"c{third.pk}_note": "租赁合同已过期",
        },
    )
    response = client.post(reverse("web:intake"), data)
    case = Case.objects.get()
    assert case.status == "correction_requested" and case.number is None
    page = client.get(response["Location"]).content.decode()
    assert 'data-kind="correction"' in page
    assert "缺少法定代表人签字" in page and "租赁合同已过期" in page
    assert first.name in page and third.name in page
    assert second.name not in page.split('data-testid="correction-items"')[1].split("</table>")[0]
    assert case.receipt_number in page


def test_intake_correction_needs_a_note_for_each_material(client, cx, food):
    client.force_login(cx.user("clerk"))
    first = food.materials.first()
    response = client.post(reverse("web:intake"), intake_form(food, "correct", **{f"c{first.pk}": "on"}))
    assert response.status_code == 422
    body = response.content.decode()
    assert f'data-testid="error-c{first.pk}_note"' in body
    assert Case.objects.count() == 0
    response = client.post(reverse("web:intake"), intake_form(food, "correct"))
    assert response.status_code == 422
    assert 'data-testid="intake-error"' in response.content.decode()


def test_intake_refusal_needs_the_reason_and_prints_the_rights(client, cx, food):
    client.force_login(cx.user("clerk"))
    response = client.post(reverse("web:intake"), intake_form(food, "refuse"))
    assert response.status_code == 422
    assert 'data-testid="error-note"' in response.content.decode()
    assert Case.objects.count() == 0
    response = client.post(reverse("web:intake"), intake_form(food, "refuse", note="不属于本中心受理范围"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-kind="refusal"' in page and "不属于本中心受理范围" in page
    assert "六十日" in page and "六个月" in page  # administrative review / litigation
    assert Case.objects.get().status == "refused"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {"applicant_id_number": ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")},
            "applicant_id_number",
        ),
        ({"applicant_phone": "2345"}, "applicant_phone"),
        (
            {
                "applicant_kind": "enterprise",
                "applicant_id_type": "uscc",
                "applicant_id_number": "911100006000373410",
            },
            "applicant_id_number",
        ),
        ({"agent_name": "李四", "agent_id_number": "123", "agent_phone": PHONE}, "agent_id_number"),
        ({"applicant_name": ""}, "applicant_name"),
    ],
)
def test_intake_shows_validation_errors_next_to_the_fields(client, cx, food, overrides, field):
    client.force_login(cx.user("clerk"))
    response = client.post(reverse("web:intake"), intake_form(food, **overrides))
    assert response.status_code == 422
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert Case.objects.count() == 0


def test_intake_with_a_required_material_missing_needs_a_note(client, cx, food):
    client.force_login(cx.user("clerk"))
    first = food.materials.first()
    data = intake_form(food)
    del data[f"m{first.pk}_received"]
    response = client.post(reverse("web:intake"), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert first.name in body and 'data-testid="error-note"' in body
    data["note"] = "申请书当场补签"
    assert client.post(reverse("web:intake"), data).status_code == 302
    assert Case.objects.get().status == "accepted"


def test_intake_with_files_is_one_transaction(client, cx, food, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cx.user("clerk"))
    first = food.materials.first()
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(reverse("web:intake"), {**intake_form(food), f"m{first.pk}_file": bad})
    assert response.status_code == 422
    assert f'data-testid="error-m{first.pk}_file"' in response.content.decode()
    assert Case.objects.count() == 0 and CaseFile.objects.count() == 0
    good = SimpleUploadedFile("申请书.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(reverse("web:intake"), {**intake_form(food), f"m{first.pk}_file": good})
    assert response.status_code == 302
    row = CaseFile.objects.get()
    assert row.case_material is not None and row.case_material.material_id == first.pk


def test_instant_item_is_completed_in_the_same_sitting(client, cx):
    version = make_item(cx, code="SC009", handling_type="instant", legal_limit=0, promised_limit=0)
    client.force_login(cx.user("clerk"))
    response = client.post(reverse("web:intake"), intake_form(version))
    assert response.status_code == 302
    assert Case.objects.get().status == "completed"


def test_intake_is_for_clerks(client, cx, food):
    client.force_login(cx.user("scjg-reviewer"))
    assert client.get(reverse("web:intake")).status_code == 403
    assert client.post(reverse("web:intake"), intake_form(food)).status_code == 403
    client.logout()
    assert client.get(reverse("web:intake")).status_code == 302


# --- the case page ---------------------------------------------------------------------------


def test_case_page_shows_everything_masked(client, cx, food):
    case = intake(cx, food)
    client.force_login(cx.user("clerk"))
    body = client.get(reverse("web:case", args=[case.number])).content.decode()
    assert MASKED_ID in body and "138****5678" in body
    assert ID_NUMBER not in body and PHONE not in body
    assert 'data-testid="steps"' in body and "审查" in body
    assert 'data-event="accept"' in body and 'data-event="receive"' in body
    assert 'data-notice-kind="acceptance"' in body
    assert 'data-testid="clock"' in body and 'data-testid="days-left">10<' in body
    assert 'data-testid="action-pass_step"' not in body  # the acceptance finished 受理
    client.force_login(cx.user("scjg-reviewer"))
    body = client.get(reverse("web:case", args=[case.number])).content.decode()
    assert 'data-testid="action-pass_step"' in body
    assert 'data-testid="action-grant"' not in body
    assert f'name="pass_step-version" value="{case.version}"' in body
    # the receipt number opens the same page; outside the scope it does not exist
    assert client.get(reverse("web:case", args=[case.receipt_number])).status_code == 200
    client.force_login(cx.user("sw-reviewer"))
    assert client.get(reverse("web:case", args=[case.number])).status_code == 404


def test_show_full_details_asks_for_a_reason_and_is_audited(client, cx, food):
    case = intake(cx, food)
    client.force_login(cx.user("clerk"))
    url = reverse("web:case_reveal", args=[case.number])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 422
    assert ID_NUMBER not in response.content.decode()
    response = client.post(url, {"reason": "电话联系申请人补正"})
    assert response.status_code == 200
    body = response.content.decode()
    assert ID_NUMBER in body and PHONE in body
    entry = AuditEntry.objects.filter(action="case.reveal_applicant").get()
    assert entry.after["reason"] == "电话联系申请人补正"


def post_action(client: Any, case: Case, action: str, version: int | None = None, **params: Any) -> Any:
    case.refresh_from_db()
    data = {"action": action, f"{action}-version": case.version if version is None else version}
    for key, value in params.items():
        data[f"{action}-{key}"] = value
    return client.post(reverse("web:case_act", args=[case.display_number]), data)


def test_pass_a_step(client, cx, food):
    case = intake(cx, food)
    client.force_login(cx.user("scjg-reviewer"))
    response = post_action(client, case, "pass_step", opinion="材料齐全")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "in_progress"
    page = client.get(response["Location"]).content.decode()
    assert "材料齐全" in page


def test_a_stale_form_shows_the_conflict_and_changes_nothing(client, cx, food):
    case = intake(cx, food)
    stale = case.version
    act(case, "pass_step", cx.user("scjg-reviewer"), opinion="另一位审查员")
    client.force_login(cx.user("clerk"))
    response = post_action(client, case, "withdraw", version=stale, reason="申请人撤回")
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-testid="case-error"' in body and "该办件已被他人修改，页面已重新加载" in body
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert CaseEvent.objects.filter(case=case, action="withdraw").count() == 0
    # the reloaded page carries the new version
    assert f'name="withdraw-version" value="{case.version}"' in body


def test_an_action_not_allowed_now_says_what_is(client, cx, food):
    case = intake(cx, food)
    client.force_login(cx.user("clerk"))
    response = post_action(client, case, "complete")
    assert response.status_code == 422
    assert 'data-testid="case-error"' in response.content.decode()
    assert Case.objects.get().status == "accepted"


def test_a_missing_parameter_is_shown_next_to_the_field(client, cx, food):
    case = intake(cx, food)
    client.force_login(cx.user("clerk"))
    response = post_action(client, case, "withdraw", reason="")
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-action="withdraw" open' in body
    assert "errorlist" in body.split('data-action="withdraw"')[1].split("</details>")[0]


def test_actions_through_the_pages_to_delivery(client, cx, food):
    case = intake(cx, food)

    def as_user(name: str) -> None:
        client.force_login(cx.user(name))

    as_user("scjg-reviewer")
    assert (
        post_action(
            client,
            case,
            "start_special_procedure",
            kind="testing",
            reason="抽样检验",
            expected_working_days="3",
        ).status_code
        == 302
    )
    assert post_action(client, case, "end_special_procedure").status_code == 302
    assert post_action(client, case, "request_extension", days="2", reason="需要现场核查").status_code == 302
    as_user("scjg-chief")
    assert post_action(client, case, "approve_extension").status_code == 302
    as_user("scjg-reviewer")
    first = food.materials.first()
    response = post_action(
        client,
        case,
        "request_processing_correction",
        **{f"item_{first.pk}": "on", f"item_{first.pk}_note": "签字不清"},
    )
    assert response.status_code == 302
    as_user("clerk")
    assert (
        post_action(client, case, "receive_processing_correction", materials=str(first.pk)).status_code == 302
    )
    as_user("scjg-reviewer")
    assert post_action(client, case, "pass_step", opinion="同意").status_code == 302
    as_user("scjg-approver")
    assert post_action(client, case, "pass_step", opinion="同意").status_code == 302
    response = post_action(client, case, "grant", opinion="准予")
    assert response.status_code == 302
    as_user("scjg-certifier")
    assert post_action(client, case, "issue_certificate", certificate_number="JY0001").status_code == 302
    as_user("clerk")
    assert post_action(client, case, "complete").status_code == 302
    response = post_action(client, case, "deliver", method="mail")
    assert response.status_code == 422  # the tracking number is required for mail
    assert post_action(client, case, "deliver", method="pickup").status_code == 302
    case.refresh_from_db()
    assert case.status == "delivered"
    kinds = set(case.notices.values_list("kind", flat=True))
    assert {"acceptance", "special_procedure", "extension", "correction", "decision"} <= kinds


def test_deny_with_reasons(client, cx, food):
    case = intake(cx, food)
    for who in ("scjg-reviewer", "scjg-approver"):
        act(case, "pass_step", cx.user(who))
    client.force_login(cx.user("scjg-approver"))
    assert post_action(client, case, "deny").status_code == 422
    assert post_action(client, case, "deny", reasons="经营场所不符合卫生要求").status_code == 302
    case.refresh_from_db()
    assert case.status == "decided_denied"


def test_upload_and_download_files_with_permissions(client, cx, food, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = intake(cx, food)
    client.force_login(cx.user("clerk"))
    material = case.materials.first()
    upload = SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4 licence", content_type="application/pdf")
    response = client.post(
        reverse("web:case_file_upload", args=[case.number]), {"file": upload, "material": material.pk}
    )
    assert response.status_code == 302
    row = CaseFile.objects.get()
    url = reverse("web:case_file", args=[case.number, row.pk])
    assert url in client.get(reverse("web:case", args=[case.number])).content.decode()
    assert "/media/" not in client.get(reverse("web:case", args=[case.number])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 licence"
    client.force_login(cx.user("sw-reviewer"))
    assert client.get(url).status_code == 404
    client.force_login(cx.user("centeradmin"))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(cx.user("clerk"))
    bad = SimpleUploadedFile("x.exe", b"MZ")
    response = client.post(reverse("web:case_file_upload", args=[case.number]), {"file": bad})
    assert response.status_code == 422
    assert CaseFile.objects.count() == 1


# --- worklist and search ---------------------------------------------------------------------------


def test_worklist_most_urgent_first_with_green_mark(client, cx, food):
    plain = intake(cx, food)
    green = intake(cx, food, green_channel=True, green_channel_handler=cx.user("scjg-reviewer"))
    client.force_login(cx.user("clerk"))
    body = client.get(reverse("web:worklist")).content.decode()
    assert plain.number not in body and green.number not in body  # the acceptance handed both on
    client.force_login(cx.user("scjg-reviewer"))
    body = client.get(reverse("web:worklist")).content.decode()
    assert body.index(green.number) < body.index(plain.number)
    assert body.count('data-testid="green-mark"') == 1
    assert 'data-testid="days-left">4<' in body
    mine = client.get(reverse("web:worklist"), {"scope": "mine"}).content.decode()
    assert green.number in mine and plain.number not in mine


def test_case_search_is_scoped_and_masked(client, cx, food, tax):
    scjg = intake(cx, food)
    sw = intake(cx, tax)
    client.force_login(cx.user("sw-reviewer"))
    for params in ({}, {"department": "SCJG"}, {"q": scjg.number}, {"item": "SC001"}, {"applicant": "张"}):
        body = client.get(reverse("web:cases"), params).content.decode()
        assert f'data-case="{scjg.number}"' not in body, params
    body = client.get(reverse("web:cases")).content.decode()
    assert f'data-case="{sw.number}"' in body
    assert MASKED_ID in body and "138****5678" in body and ID_NUMBER not in body
    client.force_login(cx.user("clerk"))
    body = client.get(reverse("web:cases"), {"q": scjg.number[:-1]}, **HTMX).content.decode()
    assert scjg.number in body and sw.number not in body and "<html" not in body


def test_nav_shows_the_case_pages_by_permission(client, cx):
    client.force_login(cx.user("clerk"))
    body = client.get(reverse("web:home")).content.decode()
    for key, label in (("worklist", "待办"), ("cases", "办件查询"), ("intake", "窗口收件")):
        assert f'data-nav="{key}"' in body and f">{label}</a>" in body
    client.force_login(cx.user("scjg-reviewer"))
    body = client.get(reverse("web:home")).content.decode()
    assert 'data-nav="worklist"' in body and 'data-nav="intake"' not in body
    client.force_login(cx.user("centeradmin"))
    body = client.get(reverse("web:home")).content.decode()
    assert 'data-nav="worklist"' not in body


def test_the_pages_need_view_case(client, cx, food):
    case = intake(cx, food)
    client.force_login(cx.user("centeradmin"))
    for url in (reverse("web:worklist"), reverse("web:cases"), reverse("web:case", args=[case.number])):
        assert client.get(url).status_code == 403, url
    assert services.case_allowed_actions(case, cx.user("centeradmin")) == []
