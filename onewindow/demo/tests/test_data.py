"""The demo data, checked without the database: shape, references, the catalog's own rules, and
the realism the demo promises (limits, handling types, bundles, fictional phone numbers)."""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter

import pytest

from onewindow.catalog import rules
from onewindow.demo.data.accounts import CENTER_ACCOUNTS, DEMO_PASSWORD, DEPARTMENT_STAFF
from onewindow.demo.data.org import CENTERS, DEMO_CENTER_CODE, DEPARTMENTS, POSTS, WINDOWS
from onewindow.demo.specs import account_specs, bundle_specs, item_specs, theme_specs
from onewindow.org.roles import ROLE_BY_CODE
from onewindow.org.services import validate_role_set

ITEMS = item_specs()
# Every bundle of the data, also those the loader leaves out while the catalog cannot merge phases.
BUNDLES = {b["code"]: b for b in bundle_specs()}
THEMES = theme_specs()
ITEM_BY_CODE = {i["code"]: i for i in ITEMS}
DEPARTMENT_CODES = {d["code"] for d in DEPARTMENTS}
WINDOW_DEPARTMENT = {w["code"]: w["department_code"] for w in WINDOWS}
POST_CODES = {p["code"] for p in POSTS}
FICTIONAL_PHONE = re.compile(r"^000-12345-\d{3}$")

CODES = rules.CatalogCodes(
    departments={d["code"]: d["name"] for d in DEPARTMENTS},
    windows=WINDOW_DEPARTMENT,
    posts=frozenset(POST_CODES),
    themes=frozenset(t["code"] for t in THEMES),
    items=frozenset(ITEM_BY_CODE),
)


def test_center_hierarchy_runs_province_to_township():
    levels = [c["level"] for c in CENTERS]
    assert levels == ["province", "city", "county", "township"]
    codes = [c["code"] for c in CENTERS]
    assert len(set(codes)) == len(codes)
    for parent, child in itertools.pairwise(CENTERS):
        assert child["parent_code"] == parent["code"]
    demo = next(c for c in CENTERS if c["code"] == DEMO_CENTER_CODE)
    assert demo["name"] == "示范市政务服务中心"
    assert CENTERS[-1]["name"].endswith("便民服务中心")
    assert all(re.fullmatch(r"[A-Z0-9]{1,12}", code) for code in codes)


def test_departments_windows_and_posts():
    codes = [d["code"] for d in DEPARTMENTS]
    assert len(codes) >= 15
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-Z]{2,6}", code) for code in codes)
    for expected in (
        "SCJG",
        "SW",
        "ZJJ",
        "GA",
        "XF",
        "WJ",
        "ZJ",
        "ZRZY",
        "STHJ",
        "RF",
        "QX",
        "JT",
        "FG",
        "WL",
    ):
        assert expected in codes
    assert len(WINDOWS) >= 25
    window_codes = [w["code"] for w in WINDOWS]
    assert len(set(window_codes)) == len(window_codes)
    general = [w for w in WINDOWS if w["department_code"] is None]
    assert len(general) >= 3, "several general windows (综合窗口)"
    assert all(w["floor"] for w in WINDOWS)
    assert {w["department_code"] for w in WINDOWS if w["department_code"]} <= DEPARTMENT_CODES
    assert all(any(w["department_code"] == code for w in WINDOWS) for code in codes), (
        "a window per department"
    )
    assert {"accept", "review", "approve", "decide", "certify", "report"} == POST_CODES


def test_every_phone_number_is_fictional():
    phones = [c["phone"] for c in CENTERS] + [d["phone"] for d in DEPARTMENTS]
    assert all(FICTIONAL_PHONE.match(p) for p in phones), phones
    for item in ITEMS:
        numbers = re.findall(r"\d[\d-]{6,}\d", item["contact"])
        assert numbers and all(FICTIONAL_PHONE.match(n) for n in numbers), item["contact"]


def test_codes_are_unique():
    assert not [c for c, n in Counter(i["code"] for i in ITEMS).items() if n > 1]
    assert not [c for c, n in Counter(t["code"] for t in THEMES).items() if n > 1]
    assert sorted(BUNDLES) == ["GYJS", "GYJS-FA", "QYKB", "QYSL"]


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i["code"])
def test_item_passes_the_catalog_rules(item):
    assert rules.check_item(item, CODES) == []
    assert rules.check_code(item["code"]) == []


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i["code"])
def test_item_is_complete_and_consistent(item):
    # Every key of the spec format is present.
    for key in (
        "code", "name", "kind", "department_code", "window_code", "handling_type", "legal_limit",
        "promised_limit", "legal_basis", "conditions", "procedure", "fees", "fee_basis", "contact",
        "online_allowed", "appointment_allowed", "visits_required", "green_channel_eligible",
        "deemed_approval_days", "handled_at_center", "decided_at_window", "valid_from", "valid_to",
        "themes", "materials", "steps",
    ):  # fmt: skip
        assert key in item, key
    assert item["code"].startswith(item["department_code"] + "-")
    assert item["department_code"] in DEPARTMENT_CODES
    if item["window_code"]:
        assert WINDOW_DEPARTMENT[item["window_code"]] in (None, item["department_code"])
    assert "《" in item["legal_basis"], "a real law or regulation is named"
    assert item["conditions"] and item["procedure"] and item["fees"]
    assert item["themes"], "every item is in at least one theme"
    assert 3 <= len(item["materials"]) <= 8
    assert any(m["requirement"] == "required" for m in item["materials"])
    for material in item["materials"]:
        assert material["requirement"] in ("required", "conditional")
        assert material["form"] in ("original", "copy", "original_and_copy", "electronic")
        assert material["copies"] >= 1
        if material["requirement"] == "conditional":
            assert material["condition"], f"{material['name']}: say when it is needed"
        shared = material["shared_result_item_code"]
        assert not shared or (shared in ITEM_BY_CODE and shared != item["code"])
    steps = item["steps"]
    assert steps[0]["kind"] == "accept"
    assert all(s["post_code"] in POST_CODES for s in steps)
    assert sum(s["limit_days"] for s in steps) <= item["promised_limit"] <= item["legal_limit"]
    kinds = Counter(s["kind"] for s in steps)
    if item["handling_type"] == "instant":
        assert item["promised_limit"] == 0
        assert all(s["limit_days"] == 0 for s in steps)
    elif item["handling_type"] in ("promised", "joint"):
        assert kinds["decide"] == 1
        assert item["promised_limit"] < item["legal_limit"], "the promised limit is compressed"
    else:
        assert kinds["report"] or kinds["decide"]
    assert item["visits_required"] in (0, 1)
    if item["visits_required"] == 0:
        assert item["online_allowed"], "zero visits needs online application"
    if item["deemed_approval_days"] is not None:
        assert item["handling_type"] != "instant" and item["deemed_approval_days"] >= 1
    if item["fee_basis"]:
        assert item["fees"] != "不收费" or "不收费" in item["fees"]


def test_catalog_mix_is_realistic():
    assert len(ITEMS) >= 60
    types = Counter(i["handling_type"] for i in ITEMS)
    assert types["promised"] > len(ITEMS) / 2, "most items are promised (承诺件)"
    assert types["instant"] >= 15, "a good share of instant items (即办件)"
    assert 2 <= types["reported"] <= 6
    assert 2 <= types["joint"] <= 6
    compression = [
        1 - i["promised_limit"] / i["legal_limit"] for i in ITEMS if i["handling_type"] == "promised"
    ]
    assert 0.3 <= statistics.median(compression) <= 0.7
    assert sum(1 for i in ITEMS if i["deemed_approval_days"]) in range(2, 8)
    assert sum(1 for i in ITEMS if i["fees"] != "不收费") >= 5
    assert all(i["fee_basis"] for i in ITEMS if i["fees"] != "不收费" and "不收费" not in i["fees"])
    assert sum(1 for i in ITEMS if i["visits_required"] == 0) >= 5
    assert sum(1 for i in ITEMS if i["decided_at_window"]) >= 10
    departments_with_items = {i["department_code"] for i in ITEMS}
    assert departments_with_items == DEPARTMENT_CODES, "every department has items"


@pytest.mark.parametrize(
    "fragment",
    [
        "食品经营许可",
        "企业设立登记(营业执照",
        "建设工程规划许可证",
        "建筑工程施工许可证",
        "消防设计审查",
        "公共场所卫生许可",
        "道路旅客运输经营许可",
        "税务登记",
        "涉税信息确认",
        "组织机构代码",
        "居民身份证申领",
        "户口迁移",
        "往来港澳通行证",
        "医疗机构执业登记",
        "环境影响报告书审批",
        "防空地下室",
        "防雷装置设计审核",
        "建设用地规划许可证",
        "企业投资项目核准",
        "企业投资项目备案",
        "就业登记",
        "社会保险登记",
        "网络文化经营许可",
        "娱乐场所经营许可",
        "旅行社设立许可",
        "公章刻制备案",
        "发票领用",
    ],
)
def test_required_items_are_present(fragment):
    assert any(fragment in i["name"] for i in ITEMS), fragment


def test_themes():
    assert len(THEMES) >= 7
    for theme in THEMES:
        assert rules.check_theme(theme) == []
    names = {t["name"] for t in THEMES}
    assert {"企业开办", "工程建设", "交通出行", "医疗卫生", "文化旅游", "社会保障", "公安户政"} <= names


@pytest.mark.parametrize("code", ["QYSL", "QYKB", "GYJS", "GYJS-FA"])
def test_bundle_passes_the_catalog_rules(code):
    assert rules.check_bundle(BUNDLES[code], CODES) == []


def _bundle_checks(bundle: dict) -> None:
    item_codes = [e["item_code"] for e in bundle["items"]]
    assert len(set(item_codes)) == len(item_codes)
    assert all(code in ITEM_BY_CODE for code in item_codes)
    assert all(ITEM_BY_CODE[code]["promised_limit"] <= bundle["promised_limit"] for code in item_codes)
    keys = [f["key"] for f in bundle["fields"]]
    assert len(set(keys)) == len(keys)
    for field in bundle["fields"]:
        assert field["mappings"], f"{field['key']} maps onto at least one item"
        assert {m["item_code"] for m in field["mappings"]} <= set(item_codes)
    names = [m["name"] for m in bundle["materials"]]
    assert len(set(names)) == len(names), "the material list is de-duplicated"
    served = {code for m in bundle["materials"] for code in m["item_codes"]}
    assert served == set(item_codes), "every item is served by the material list"


def test_enterprise_setup_bundle():
    bundle = BUNDLES["QYSL"]
    _bundle_checks(bundle)
    assert bundle["lead_department_code"] == "SCJG"
    assert bundle["promised_limit"] == 2
    items = [ITEM_BY_CODE[e["item_code"]] for e in bundle["items"]]
    assert {i["department_code"] for i in items} == {"SCJG", "ZJJ", "SW"}
    names = " ".join(i["name"] for i in items)
    assert "营业执照" in names and "组织机构代码" in names and "国税" in names and "地税" in names
    assert 8 <= len(bundle["fields"]) <= 12
    # One form: most fields land in every item.
    assert sum(1 for f in bundle["fields"] if len(f["mappings"]) == len(items)) >= 6


def test_enterprise_opening_bundle():
    """企业开办一件事: four departments in 1 working day; 营业执照 always applies, the three others
    follow a yes/no situation question each."""
    bundle = BUNDLES["QYKB"]
    _bundle_checks(bundle)
    assert bundle["lead_department_code"] == "SCJG"
    assert bundle["promised_limit"] == 1 and bundle["phases"] == []
    items = [ITEM_BY_CODE[e["item_code"]] for e in bundle["items"]]
    assert [i["department_code"] for i in items] == ["SCJG", "GA", "SW", "RS"]
    names = " ".join(i["name"] for i in items)
    assert all(word in names for word in ("营业执照", "公章刻制", "发票领用", "社会保险登记"))
    questions = {q["key"]: q for q in bundle["questions"]}
    assert [q["text"] for q in bundle["questions"]] == [
        "是否需要刻制公章？",
        "是否需要申领发票？",
        "是否招用员工？",
    ]
    selected = {}
    for key, question in questions.items():
        options = {o["value"]: o["item_codes"] for o in question["options"]}
        assert options["no"] == [] and len(options["yes"]) == 1, key
        selected[key] = options["yes"][0]
    assert selected == {"seal": "GA-011", "invoice": "SW-005", "staff": "RS-003"}
    assert "SCJG-001" not in selected.values(), "the business licence always applies"
    # One form: the core fields land in every item; conditional items' fields are not required.
    by_key = {f["key"]: f for f in bundle["fields"]}
    for key in (
        "enterprise_name",
        "legal_representative",
        "legal_representative_id",
        "address",
        "contact_phone",
    ):
        assert len(by_key[key]["mappings"]) == len(items), key
    for field in bundle["fields"]:
        if "SCJG-001" not in {m["item_code"] for m in field["mappings"]}:
            assert not field["required"], f"{field['key']} serves only optional items"
    shared = [m for m in bundle["materials"] if len(m["item_codes"]) > 1]
    assert {m["name"] for m in shared} >= {"法定代表人身份证件", "企业开办申请表(一表制)"}
    gazette = ITEM_BY_CODE["GA-011"]
    assert gazette["promised_limit"] == 1 and gazette["legal_limit"] == 20
    assert gazette["window_code"] == "Z03", "taken in at the enterprise-setup general window"


CONSTRUCTION_PHASES = ["立项用地规划许可", "工程建设许可", "施工许可", "竣工验收"]


@pytest.mark.parametrize("code", ["GYJS", "GYJS-FA"])
def test_industrial_construction_bundle(code):
    bundle = BUNDLES[code]
    _bundle_checks(bundle)
    assert [p["name"] for p in bundle["phases"]] == CONSTRUCTION_PHASES
    assert sum(p["promised_limit"] for p in bundle["phases"]) <= bundle["promised_limit"] == 33
    phase_limit = {p["name"]: p["promised_limit"] for p in bundle["phases"]}
    per_phase: dict[str, list[dict]] = {name: [] for name in phase_limit}
    for entry in bundle["items"]:
        item = ITEM_BY_CODE[entry["item_code"]]
        assert item["promised_limit"] <= phase_limit[entry["phase"]], item["code"]
        assert item["green_channel_eligible"], f"{item['code']}: investment items may use the green channel"
        per_phase[entry["phase"]].append(item)
    for name, items in per_phase.items():
        assert 2 <= len(items) <= 4, name
        assert len({i["department_code"] for i in items}) >= 2, f"{name}: several departments in parallel"
    departments = {ITEM_BY_CODE[e["item_code"]]["department_code"] for e in bundle["items"]}
    assert len(departments) >= 8
    # 联合验收: planning and land, fire, civil air defence, completion filing.
    assert {i["code"] for i in per_phase["竣工验收"]} == {"ZRZY-004", "ZJ-003", "RF-002", "ZJ-004"}
    assert "134" in bundle["description"] and "33" in bundle["description"]
    assert "国办发〔2019〕11号" in bundle["description"] or code == "GYJS-FA"


def test_the_scheme_transfer_variant_merges_only_the_construction_permit_phase():
    plain, variant = BUNDLES["GYJS"], BUNDLES["GYJS-FA"]
    assert variant["items"] == plain["items"] and variant["fields"] == plain["fields"]
    assert variant["materials"] == plain["materials"]
    assert [p.get("merge_with_previous") for p in variant["phases"]] == [False, False, True, False]
    assert all("merge_with_previous" not in p for p in plain["phases"])
    assert "带方案出让" in variant["name"]


def test_accounts():
    accounts = account_specs()
    usernames = [a["username"] for a in accounts]
    assert len(set(usernames)) == len(usernames)
    for required in ("clerk", "clerk2", "supervisor", "centeradmin", "auditor", "sysadmin", "secadmin"):
        assert required in usernames
    assert set(DEPARTMENT_STAFF) == DEPARTMENT_CODES
    for code in DEPARTMENT_CODES:
        for suffix in ("reviewer", "approver", "chief"):
            assert f"{code.lower()}-{suffix}" in usernames
    full_names = [a["full_name"] for a in accounts]
    assert len(set(full_names)) == len(full_names)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name) for name in full_names)
    for account in accounts:
        validate_role_set(account["roles"])
        assert all(role in ROLE_BY_CODE for role in account["roles"])
        assert set(account["posts"]) <= POST_CODES
        if account["window_code"]:
            assert WINDOW_DEPARTMENT[account["window_code"]] in (None, account["department_code"])
        if account["data_scope"] == "department":
            assert account["department_code"]
    by_name = {a["username"]: a for a in accounts}
    clerk = by_name["clerk"]
    assert clerk["roles"] == ["window_clerk"] and clerk["posts"] == ["accept"]
    assert clerk["data_scope"] == "center" and WINDOW_DEPARTMENT[clerk["window_code"]] is None
    assert WINDOW_DEPARTMENT[by_name["clerk2"]["window_code"]] == by_name["clerk2"]["department_code"]
    assert by_name["scjg-approver"]["posts"] == ["approve", "decide", "certify"]
    assert by_name["scjg-chief"]["posts"] == ["decide", "report"]
    assert by_name["scjg-chief"]["roles"] == ["chief_representative"]
    assert len(CENTER_ACCOUNTS) == 8
    assert len(DEMO_PASSWORD) >= 8


def test_every_step_of_every_item_has_someone_to_handle_it():
    """A demo case must be able to walk its whole process: for each step, someone in the item's
    department holds the step's post, or (for the acceptance step) a center-wide clerk does."""
    accounts = account_specs()
    holders: dict[tuple[str | None, str], list[str]] = {}
    center_wide: set[str] = set()
    for account in accounts:
        for post in account["posts"]:
            holders.setdefault((account.get("department_code"), post), []).append(account["username"])
            if account.get("data_scope") == "center":
                center_wide.add(post)
    missing = [
        (item["code"], step["name"], step["post_code"])
        for item in item_specs()
        for step in item["steps"]
        if step["post_code"] not in center_wide
        and not holders.get((item["department_code"], step["post_code"]))
    ]
    assert missing == []
