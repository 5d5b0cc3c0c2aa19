"""Spec builders for the catalog tests."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.utils import translation

PROMISED_STEPS = [
    {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 1, "on_site": True},
    {"name": "审查", "kind": "review", "post_code": "review", "limit_days": 3, "on_site": False},
    {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 2, "on_site": True},
]


def item_spec(**overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "code": "SC-001",
        "name": "食品经营许可",
        "kind": "license",
        "department_code": "SCJG",
        "window_code": "",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 10,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "conditions": "有与经营的食品品种、数量相适应的经营场所",
        "procedure": "受理、审查、决定",
        "fees": "不收费",
        "fee_basis": "",
        "contact": "0000-12345678",
        "online_allowed": True,
        "appointment_allowed": True,
        "visits_required": 1,
        "green_channel_eligible": False,
        "deemed_approval_days": None,
        "handled_at_center": True,
        "decided_at_window": False,
        "valid_from": None,
        "valid_to": None,
        "themes": [],
        "materials": [
            {"name": "食品经营许可申请书", "requirement": "required", "form": "original", "copies": 1},
            {
                "name": "营业执照",
                "requirement": "required",
                "form": "copy",
                "copies": 1,
                "note": "加盖公章",
            },
            {
                "name": "场所使用证明",
                "requirement": "conditional",
                "condition": "租赁场所",
                "form": "copy",
                "copies": 1,
            },
        ],
        "steps": copy.deepcopy(PROMISED_STEPS),
    }
    spec.update(overrides)
    return spec


def instant_spec(**overrides: Any) -> dict[str, Any]:
    base = item_spec(
        code="SW-001",
        name="发票领用",
        department_code="SW",
        handling_type="instant",
        legal_limit=1,
        promised_limit=0,
        materials=[{"name": "经办人身份证", "requirement": "required", "form": "original", "copies": 1}],
        steps=[
            {"name": "受理并办结", "kind": "decide", "post_code": "accept", "limit_days": 0, "on_site": True}
        ],
    )
    base.update(overrides)
    return base


def bundle_spec(**overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "code": "QYKB",
        "name": "企业开办一件事",
        "description": "营业执照与税务登记一次办",
        "lead_department_code": "SCJG",
        "promised_limit": 8,
        "phases": [{"name": "登记", "promised_limit": 5}, {"name": "税务", "promised_limit": 3}],
        "items": [{"item_code": "SC-001", "phase": "登记"}, {"item_code": "SW-001", "phase": "税务"}],
        "fields": [
            {
                "key": "company_name",
                "label": "企业名称",
                "field_type": "text",
                "required": True,
                "choices": "",
                "mappings": [
                    {"item_code": "SC-001", "target": "operator_name"},
                    {"item_code": "SW-001", "target": "taxpayer_name"},
                ],
            },
            {
                "key": "scale",
                "label": "规模",
                "field_type": "choice",
                "required": False,
                "choices": "小型|中型|大型",
                "mappings": [],
            },
        ],
        "materials": [
            {
                "name": "营业执照",
                "requirement": "required",
                "form": "copy",
                "copies": 1,
                "item_codes": ["SC-001", "SW-001"],
            },
        ],
    }
    spec.update(overrides)
    return spec


@pytest.fixture
def english():
    with translation.override("en"):
        yield
