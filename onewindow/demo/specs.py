"""The demo catalog as complete specs for `onewindow.catalog.services.catalog_import_specs`.

The data modules leave out the keys that take a common value; this module fills them in, so that
every spec handed to the catalog carries every key of the format. Derived values:

- `contact`: the item's window (or the department's first window) and the department's phone;
- `procedure`: the process template in words, e.g. "受理(当场) → 审查(1个工作日) → ...";
- `fees`: 不收费 unless the item says otherwise.
"""

from __future__ import annotations

import copy
from typing import Any

from onewindow.demo.data import BUNDLES, ITEMS, THEMES
from onewindow.demo.data.accounts import CENTER_ACCOUNTS, DEPARTMENT_STAFF
from onewindow.demo.data.org import DEPARTMENTS, WINDOWS

ITEM_DEFAULTS: dict[str, Any] = {
    "kind": "license",
    "window_code": "",
    "legal_basis": "",
    "conditions": "",
    "fees": "不收费",
    "fee_basis": "",
    "online_allowed": False,
    "appointment_allowed": False,
    "visits_required": 1,
    "green_channel_eligible": False,
    "deemed_approval_days": None,
    "handled_at_center": True,
    "decided_at_window": False,
    "valid_from": None,
    "valid_to": None,
    "themes": [],
}
MATERIAL_DEFAULTS: dict[str, Any] = {
    "requirement": "required",
    "condition": "",
    "form": "original",
    "copies": 1,
    "shared_result_item_code": "",
    "note": "",
}
STEP_DEFAULTS: dict[str, Any] = {"on_site": True}

_DEPARTMENTS = {d["code"]: d for d in DEPARTMENTS}
_WINDOWS = {w["code"]: w for w in WINDOWS}


def _first_window(department_code: str) -> dict | None:
    return next((w for w in WINDOWS if w["department_code"] == department_code), None)


def contact_for(department_code: str, window_code: str) -> str:
    """Where to go and whom to call: window, hall and the department's (fictional) phone."""
    department = _DEPARTMENTS[department_code]
    window = _WINDOWS.get(window_code) if window_code else _first_window(department_code)
    place = f" {window['code']} {window['name']},{window['floor']}" if window else ""
    return f"{department['name']}{place};咨询电话 {department['phone']}"


def procedure_for(steps: list[dict], handling_type: str) -> str:
    """The process template in words, for the service guide."""
    parts = []
    for step in steps:
        days = step["limit_days"]
        limit = "当场" if days == 0 else f"{days}个工作日"
        where = "" if step.get("on_site", True) else ",部门办理"
        parts.append(f"{step['name']}({limit}{where})")
    text = "申请 → " + " → ".join(parts) + " → 办结送达"
    if handling_type == "instant":
        text += "。材料齐全、符合法定形式的,窗口当场办结。"
    elif handling_type == "reported":
        text += "。本中心受理、初审后上报上级机关决定,结果由本中心窗口送达。"
    elif handling_type == "joint":
        text += "。由牵头部门统一受理,相关部门联合办理,统一出具办理结果。"
    else:
        text += "。承诺时限自受理之次日起按工作日计算;特别程序(现场核查、检测、专家评审等)所需时间不计入。"
    return text


def _item_spec(raw: dict) -> dict:
    spec = {**ITEM_DEFAULTS, **copy.deepcopy(raw)}
    spec["materials"] = [{**MATERIAL_DEFAULTS, **m} for m in spec.get("materials", [])]
    spec["steps"] = [{**STEP_DEFAULTS, **s} for s in spec.get("steps", [])]
    spec.setdefault("contact", contact_for(spec["department_code"], spec["window_code"]))
    spec.setdefault("procedure", procedure_for(spec["steps"], spec["handling_type"]))
    return spec


def item_specs() -> list[dict]:
    """Every demo item as a complete item spec (fresh copies: callers may change them)."""
    return [_item_spec(raw) for raw in ITEMS]


def theme_specs() -> list[dict]:
    return copy.deepcopy(THEMES)


def bundle_specs() -> list[dict]:
    """Every demo bundle."""
    return copy.deepcopy(BUNDLES)


def account_specs() -> list[dict]:
    """Every demo account: the center-wide ones, then a reviewer, an approver and a chief
    representative per department (the chief seated at the department's first window)."""
    accounts = copy.deepcopy(CENTER_ACCOUNTS)
    for department in DEPARTMENTS:
        code = department["code"]
        reviewer, approver, chief = DEPARTMENT_STAFF[code]
        low = code.lower()
        window = _first_window(code)
        common = {"department_code": code, "data_scope": "department"}
        accounts += [
            {
                "username": f"{low}-reviewer",
                "full_name": reviewer,
                "roles": ["reviewer"],
                "posts": ["review"],
                "window_code": None,
                **common,
            },
            {
                "username": f"{low}-approver",
                "full_name": approver,
                "roles": ["approver"],
                "posts": ["approve", "decide", "certify"],
                "window_code": None,
                **common,
            },
            {
                "username": f"{low}-chief",
                "full_name": chief,
                "roles": ["chief_representative"],
                "posts": ["decide", "report"],
                "window_code": window["code"] if window else None,
                **common,
            },
        ]
    return accounts
