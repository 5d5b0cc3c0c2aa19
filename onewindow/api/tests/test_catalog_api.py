"""The public catalog API: items and bundles, filters, pagination, 404 and 422."""

from __future__ import annotations

import pytest

from onewindow.catalog import services
from onewindow.catalog.tests.conftest import bundle_spec, instant_spec, item_spec

THEMES = [{"code": "QYKB", "name": "企业开办", "audience": "enterprise"}]


@pytest.fixture
def catalog(org):
    items = [
        item_spec(themes=["QYKB"], deemed_approval_days=3, window_code="A01"),
        instant_spec(themes=["QYKB"]),
        item_spec(code="SC-002", name="药品零售企业许可证核发", legal_limit=15, promised_limit=6),
    ]
    services.catalog_import_specs(center=org.center, themes=THEMES, items=items, bundles=[bundle_spec()])
    return org


def test_list_items_shape(client, catalog):
    response = client.get("/api/v1/items")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (3, 50, 0)
    assert [i["code"] for i in body["items"]] == ["SC-001", "SC-002", "SW-001"]
    assert body["items"][0] == {
        "code": "SC-001",
        "name": "食品经营许可",
        "kind": "license",
        "center_code": "DEMO",
        "department_code": "SCJG",
        "department_name": "市场监督管理局",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 10,
        "compression": 0.5,
        "version": 1,
        "online_allowed": True,
        "appointment_allowed": True,
        "visits_required": 1,
        "green_channel_eligible": False,
        "deemed_approval_days": 3,
        "themes": ["QYKB"],
    }
    assert body["items"][2]["compression"] == 1.0


def test_list_items_filters_and_pages(client, catalog):
    def codes(**params):
        response = client.get("/api/v1/items", params)
        assert response.status_code == 200, response.content
        return [i["code"] for i in response.json()["items"]]

    assert codes(department="SW") == ["SW-001"]
    assert codes(handling_type="instant") == ["SW-001"]
    assert codes(theme="QYKB") == ["SC-001", "SW-001"]
    assert codes(center="DEMO", department="SCJG") == ["SC-001", "SC-002"]
    assert codes(q="药品许可") == ["SC-002"]
    assert codes(q="许可") == ["SC-001", "SC-002"]
    assert codes(q="营业执照") == ["SC-001", "SC-002"]  # a material name
    assert codes(limit=1, offset=1) == ["SC-002"]
    assert client.get("/api/v1/items", {"limit": 1}).json()["count"] == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"handling_type": "fast"}, "handling_type"),
        ({"department": "GA"}, "department"),
        ({"theme": "NONE"}, "theme"),
        ({"center": "NOWHERE"}, "center"),
    ],
)
def test_unknown_filter_values_are_422(client, catalog, params, field):
    response = client.get("/api/v1/items", params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "unknown_filter"
    assert list(body["details"]) == [field]


def test_bad_paging_is_422(client, catalog):
    response = client.get("/api/v1/items", {"limit": 1000})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


def test_item_detail(client, catalog):
    response = client.get("/api/v1/items/SC-001")
    assert response.status_code == 200
    body = response.json()
    assert body["window_code"] == "A01"
    assert body["legal_basis"] == "《中华人民共和国食品安全法》第三十五条"
    assert body["conditions"].startswith("有与经营的食品品种")
    assert body["procedure"] == "受理、审查、决定"
    assert body["fees"] == "不收费"
    assert body["contact"] == "0000-12345678"
    assert body["published_at"] is not None
    assert [m["name"] for m in body["materials"]] == ["食品经营许可申请书", "营业执照", "场所使用证明"]
    assert body["materials"][2] == {
        "position": 3,
        "name": "场所使用证明",
        "requirement": "conditional",
        "condition": "租赁场所",
        "form": "copy",
        "copies": 1,
        "shared_result_item_code": "",
        "note": "",
        "has_template": False,
        "has_sample": False,
    }
    assert body["steps"][1] == {
        "position": 2,
        "name": "审查",
        "kind": "review",
        "post_code": "review",
        "post_name": "审查岗",
        "limit_days": 3,
        "on_site": False,
    }


def test_item_detail_shows_the_published_version_only(client, catalog, org):
    services.item_save_draft(center=org.center, spec=item_spec(name="草稿名称"))
    assert client.get("/api/v1/items/SC-001").json()["name"] == "食品经营许可"


def test_item_404(client, catalog):
    response = client.get("/api/v1/items/NOPE")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_bundles(client, catalog):
    response = client.get("/api/v1/bundles")
    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "QYKB",
            "name": "企业开办一件事",
            "description": "营业执照与税务登记一次办",
            "center_code": "DEMO",
            "lead_department_code": "SCJG",
            "lead_department_name": "市场监督管理局",
            "promised_limit": 8,
            "item_count": 2,
        }
    ]
    detail = client.get("/api/v1/bundles/QYKB", {"center": "DEMO"}).json()
    assert detail["phases"] == [
        {"position": 1, "name": "登记", "promised_limit": 5, "merge_with_previous": False},
        {"position": 2, "name": "税务", "promised_limit": 3, "merge_with_previous": False},
    ]
    assert [(i["item_code"], i["phase"], i["handling_type"]) for i in detail["items"]] == [
        ("SC-001", "登记", "promised"),
        ("SW-001", "税务", "instant"),
    ]
    assert detail["fields"][0]["mappings"] == [
        {"item_code": "SC-001", "target": "operator_name"},
        {"item_code": "SW-001", "target": "taxpayer_name"},
    ]
    assert detail["fields"][1]["choices"] == ["小型", "中型", "大型"]
    assert detail["materials"] == [
        {
            "position": 1,
            "name": "营业执照",
            "requirement": "required",
            "form": "copy",
            "copies": 1,
            "item_codes": ["SC-001", "SW-001"],
        }
    ]
    missing = client.get("/api/v1/bundles/NOPE")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
