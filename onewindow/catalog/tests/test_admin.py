"""The catalog admin: drafts edited through the service, read-only published versions, the
publish action (allowed for a center administrator, refused for a reviewer), the workbook views
and bundles."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from onewindow.catalog import services
from onewindow.catalog.models import Bundle, ServiceItem, ServiceItemVersion
from onewindow.catalog.spec import bundle_spec as stored_bundle_spec
from onewindow.catalog.tests.conftest import bundle_spec, instant_spec, item_spec
from onewindow.core.models import AuditEntry

pytestmark = pytest.mark.usefixtures("english")

VERSIONS = "admin:catalog_serviceitemversion_changelist"
ITEMS = "admin:catalog_serviceitem_changelist"


def staff_client(client, user):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client, org):
    return staff_client(client, org.user("centeradmin"))


@pytest.fixture
def reviewer_client(client, org):
    return staff_client(client, org.user("scjg-reviewer"))


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def version_post(org, *, code="NEW-1", promised=5, positions=(1, 2), step_days=(1, 2)):
    data = {
        "code": code,
        "name": "户外广告设置许可",
        "kind": "license",
        "department": str(org.dept_a.pk),
        "window": "",
        "handling_type": "promised",
        "legal_limit": "20",
        "promised_limit": str(promised),
        "legal_basis": "",
        "conditions": "设置位置符合规划",
        "procedure": "",
        "fees": "不收费",
        "fee_basis": "",
        "contact": "",
        "online_allowed": "on",
        "visits_required": "1",
        "deemed_approval_days": "",
        "handled_at_center": "on",
        "valid_from": "",
        "valid_to": "",
        "change_note": "首次发布",
        **management("materials", 1),
        "materials-0-position": "1",
        "materials-0-name": "设置申请书",
        "materials-0-requirement": "required",
        "materials-0-condition": "",
        "materials-0-form": "original",
        "materials-0-copies": "1",
        "materials-0-shared_result_item_code": "",
        "materials-0-note": "",
        **management("steps", 2),
        "steps-0-position": str(positions[0]),
        "steps-0-name": "受理",
        "steps-0-kind": "accept",
        "steps-0-post": str(org.posts["accept"].pk),
        "steps-0-limit_days": str(step_days[0]),
        "steps-0-on_site": "on",
        "steps-1-position": str(positions[1]),
        "steps-1-name": "决定",
        "steps-1-kind": "decide",
        "steps-1-post": str(org.posts["decide"].pk),
        "steps-1-limit_days": str(step_days[1]),
    }
    return data


def test_add_item_goes_through_the_service(admin_client, org):
    response = admin_client.post(reverse("admin:catalog_serviceitemversion_add"), version_post(org))
    assert response.status_code == 302, response.content.decode()
    draft = ServiceItemVersion.objects.get(item__code="NEW-1")
    assert draft.status == ServiceItemVersion.Status.DRAFT
    assert draft.change_note == "首次发布"
    assert [s.kind for s in draft.steps.order_by("position")] == ["accept", "decide"]
    assert "户外" in draft.search_text
    assert AuditEntry.objects.filter(
        action="catalog.item.save_draft", actor_id=org.user("centeradmin").pk
    ).exists()


def test_rule_errors_are_shown_on_the_page_and_nothing_is_written(admin_client, org):
    response = admin_client.post(
        reverse("admin:catalog_serviceitemversion_add"), version_post(org, promised=25, step_days=(1, 2))
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "Promised limit 25 exceeds the legal limit 20: the promised limit must not exceed the legal limit."
        in content
    )
    response = admin_client.post(
        reverse("admin:catalog_serviceitemversion_add"), version_post(org, promised=2, step_days=(1, 4))
    )
    assert response.status_code == 200
    assert "The steps add up to 5 working days, more than the promised limit 2" in response.content.decode()
    assert not ServiceItem.objects.exists()
    assert not AuditEntry.objects.exists()


def test_step_positions_must_be_consecutive(admin_client, org):
    response = admin_client.post(
        reverse("admin:catalog_serviceitemversion_add"), version_post(org, positions=(1, 3))
    )
    assert response.status_code == 200
    assert (
        "The step positions must run 1, 2, 3 … without gaps or repeats: found 1, 3."
        in response.content.decode()
    )
    assert not ServiceItem.objects.exists()


def test_duplicate_code_is_a_clear_error(admin_client, org):
    services.item_save_draft(center=org.center, spec=item_spec(code="NEW-1"))
    response = admin_client.post(reverse("admin:catalog_serviceitemversion_add"), version_post(org))
    assert response.status_code == 200
    assert "Code NEW-1 is already used by an item of this center" in response.content.decode()


def test_edit_a_draft_replaces_it(admin_client, org):
    draft = services.item_save_draft(center=org.center, spec=item_spec(code="NEW-1"))
    data = version_post(org)
    data.pop("code")
    data.update(management("materials", 1, 0))
    data.update(management("steps", 2, 0))
    # The existing rows are not posted as initial forms: they are replaced as a whole.
    response = admin_client.post(reverse("admin:catalog_serviceitemversion_change", args=[draft.pk]), data)
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    assert draft.name == "户外广告设置许可"
    assert list(draft.materials.values_list("name", flat=True)) == ["设置申请书"]


def test_published_version_is_read_only(admin_client, org):
    version = services.item_publish(version=services.item_save_draft(center=org.center, spec=item_spec()))
    url = reverse("admin:catalog_serviceitemversion_change", args=[version.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert admin_client.post(url, version_post(org)).status_code == 403


def test_publish_action_as_center_admin(admin_client, org):
    draft = services.item_save_draft(center=org.center, spec=item_spec())
    response = admin_client.post(
        reverse(VERSIONS), {"action": "publish_versions", "_selected_action": [draft.pk]}, follow=True
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == ServiceItemVersion.Status.PUBLISHED
    assert draft.published_by == org.user("centeradmin")
    assert AuditEntry.objects.filter(action="catalog.item.publish").count() == 1
    assert "Published SC-001 v1" in response.content.decode()


def test_publish_action_reports_rule_failures(admin_client, org):
    draft = services.item_save_draft(center=org.center, spec=item_spec())
    draft.steps.filter(kind="decide").delete()
    response = admin_client.post(
        reverse(VERSIONS), {"action": "publish_versions", "_selected_action": [draft.pk]}, follow=True
    )
    assert "needs exactly one decision step" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ServiceItemVersion.Status.DRAFT


def test_publish_action_refused_for_a_reviewer(reviewer_client, org):
    draft = services.item_save_draft(center=org.center, spec=item_spec())
    response = reviewer_client.get(reverse(VERSIONS))
    assert response.status_code == 200
    assert "publish_versions" not in response.content.decode()
    reviewer_client.post(reverse(VERSIONS), {"action": "publish_versions", "_selected_action": [draft.pk]})
    reviewer_client.post(reverse(ITEMS), {"action": "publish_drafts", "_selected_action": [draft.item.pk]})
    draft.refresh_from_db()
    assert draft.status == ServiceItemVersion.Status.DRAFT
    assert not AuditEntry.objects.filter(action="catalog.item.publish").exists()


def test_item_list_and_item_actions(admin_client, org):
    v1 = services.item_publish(version=services.item_save_draft(center=org.center, spec=item_spec()))
    response = admin_client.get(reverse(ITEMS))
    content = response.content.decode()
    assert "SC-001" in content and "50%" in content
    response = admin_client.post(reverse(ITEMS), {"action": "new_drafts", "_selected_action": [v1.item.pk]})
    draft = ServiceItemVersion.objects.get(item=v1.item, status="draft")
    assert response["Location"] == reverse("admin:catalog_serviceitemversion_change", args=[draft.pk])
    admin_client.post(reverse(ITEMS), {"action": "publish_drafts", "_selected_action": [v1.item.pk]})
    v1.refresh_from_db()
    assert v1.status == ServiceItemVersion.Status.SUPERSEDED


def test_workbook_download_and_upload(admin_client, org):
    services.catalog_import_specs(
        center=org.center, themes=[], items=[item_spec(), instant_spec()], bundles=[]
    )
    response = admin_client.get(reverse("admin:catalog_serviceitem_export"))
    assert response.status_code == 200
    data = response.content
    assert load_workbook(io.BytesIO(data))["事项"]["A2"].value == "SC-001"

    wb = load_workbook(io.BytesIO(data))
    wb["事项"]["G2"] = "十"  # legal_limit
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "catalog.xlsx"
    response = admin_client.post(reverse("admin:catalog_serviceitem_import"), {"workbook": buffer})
    assert response.status_code == 200
    assert "Sheet 事项, row 2, column 法定时限（工作日） (cell G2): Expected a whole number, found 十." in (
        response.content.decode()
    )

    upload = io.BytesIO(data)
    upload.name = "catalog.xlsx"
    response = admin_client.post(
        reverse("admin:catalog_serviceitem_import"), {"workbook": upload}, follow=True
    )
    assert "Items: 0 created, 0 new versions, 2 unchanged." in response.content.decode()


def test_workbook_upload_refused_without_permission(reviewer_client):
    assert reviewer_client.get(reverse("admin:catalog_serviceitem_import")).status_code == 403


def test_bundle_admin_saves_through_the_service(admin_client, org):
    services.catalog_import_specs(
        center=org.center, themes=[], items=[item_spec(), instant_spec()], bundles=[]
    )
    sc, sw = ServiceItem.objects.get(code="SC-001"), ServiceItem.objects.get(code="SW-001")
    data = {
        "code": "QYKB",
        "name": "企业开办一件事",
        "description": "",
        "lead_department": str(org.dept_a.pk),
        "promised_limit": "8",
        "active": "on",
        **management("phases", 1),
        "phases-0-position": "1",
        "phases-0-name": "登记",
        "phases-0-promised_limit": "5",
        **management("bundle_items", 2),
        "bundle_items-0-position": "1",
        "bundle_items-0-item": str(sc.pk),
        "bundle_items-0-phase_name": "登记",
        "bundle_items-1-position": "2",
        "bundle_items-1-item": str(sw.pk),
        "bundle_items-1-phase_name": "",
        **management("fields", 1),
        "fields-0-position": "1",
        "fields-0-key": "company_name",
        "fields-0-label": "企业名称",
        "fields-0-field_type": "text",
        "fields-0-required": "on",
        "fields-0-choices": "",
        "fields-0-mappings_text": "SC-001=operator_name\nSW-001=taxpayer_name",
        **management("materials", 1),
        "materials-0-position": "1",
        "materials-0-name": "营业执照",
        "materials-0-requirement": "required",
        "materials-0-form": "copy",
        "materials-0-copies": "1",
        "materials-0-items": [str(sc.pk), str(sw.pk)],
        **management("questions", 1),
        "questions-0-position": "1",
        "questions-0-key": "invoice",
        "questions-0-text": "是否需要申领发票？",
        "questions-0-options_text": "yes=是：SW-001\nno=否:",
    }
    bad = {**data, "bundle_items-1-phase_name": "验收"}
    response = admin_client.post(reverse("admin:catalog_bundle_add"), bad)
    assert response.status_code == 200
    assert "Unknown phase 验收: use the name of one of the bundle&#x27;s phases, or leave it empty." in (
        response.content.decode()
    )
    assert not Bundle.objects.exists()
    bad = {**data, "questions-0-options_text": "yes=是: XX-9\nno"}
    response = admin_client.post(reverse("admin:catalog_bundle_add"), bad)
    assert "this line has no “=”: no" in response.content.decode()
    bad = {**data, "questions-0-options_text": "yes=是: XX-9\nno=否"}
    response = admin_client.post(reverse("admin:catalog_bundle_add"), bad)
    assert (
        "Question invoice selects item XX-9, which is not in the bundle: add the item first."
        in response.content.decode()
    )
    assert not Bundle.objects.exists()

    response = admin_client.post(reverse("admin:catalog_bundle_add"), data)
    assert response.status_code == 302, response.content.decode()
    bundle = Bundle.objects.get(code="QYKB")
    assert [(m.item.code, m.target) for m in bundle.fields.get().mappings.order_by("item__code")] == [
        ("SC-001", "operator_name"),
        ("SW-001", "taxpayer_name"),
    ]
    assert AuditEntry.objects.filter(action="catalog.bundle.save").count() == 1
    assert bundle_spec()["code"] == bundle.code
    assert stored_bundle_spec(bundle)["questions"] == [
        {
            "key": "invoice",
            "text": "是否需要申领发票？",
            "options": [
                {"value": "yes", "label": "是", "item_codes": ["SW-001"]},
                {"value": "no", "label": "否", "item_codes": []},
            ],
        }
    ]


def test_admin_speaks_chinese_by_default(client, org):
    user = org.user("centeradmin")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    response = client.post(
        reverse("admin:catalog_serviceitemversion_add"), version_post(org, promised=25, step_days=(1, 2))
    )
    assert "承诺时限 25 超过了法定时限 20：承诺时限不得超过法定时限。" in response.content.decode()
    response = client.get(reverse(ITEMS))
    assert "下载事项目录工作簿" in response.content.decode()
