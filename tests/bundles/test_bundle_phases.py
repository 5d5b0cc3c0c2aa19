"""Issue 13 §1: merged bundle phases (与上一阶段合并, e.g. 带方案出让) and the critical-path
warning — the spec key, its rules, the workbook column, the admin and `critical_path`. Runs on
SQLite and PostgreSQL."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from onewindow.catalog import excel, rules, selectors, services
from onewindow.catalog.models import Bundle, BundlePhase, ServiceItem
from onewindow.catalog.spec import bundle_spec as stored_spec
from onewindow.catalog.spec import canonical_bundle
from onewindow.catalog.tests.conftest import bundle_spec, instant_spec, item_spec
from onewindow.core.errors import ValidationFailed


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# Published promised limits: SC-001 10, SC-002 15, SW-001 0 (instant).
ITEMS = [item_spec(), item_spec(code="SC-002", name="药品零售企业许可", promised_limit=15), instant_spec()]
LIMITS = {"SC-001": 10, "SC-002": 15, "SW-001": 0}


def phase(name: str, limit: int | None = None, merge: bool | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "promised_limit": limit}
    if merge is not None:
        out["merge_with_previous"] = merge
    return out


def construction(*, promised: int = 40, phases: list[dict[str, Any]] | None = None, **kw: Any) -> dict:
    """工程建设许可 (SC-001) and 施工许可 (SC-002) in two phases, SW-001 without a phase."""
    return bundle_spec(
        promised_limit=promised,
        phases=phases if phases is not None else [phase("工程建设许可"), phase("施工许可", merge=True)],
        items=[
            {"item_code": "SC-001", "phase": "工程建设许可"},
            {"item_code": "SC-002", "phase": "施工许可"},
            {"item_code": "SW-001", "phase": None},
        ],
        **kw,
    )


def warning(days: int, promised: int) -> str:
    return (
        f"The phases' critical path ({days} working days) is longer than the bundle's promised "
        f"limit ({promised})."
    )


# --- the pure functions -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("phases", "groups"),
    [
        ([], []),
        ([phase("a"), phase("b")], [[0], [1]]),
        ([phase("a"), phase("b", merge=True), phase("c")], [[0, 1], [2]]),
        ([phase("a"), phase("b", merge=True), phase("c", merge=True)], [[0, 1, 2]]),
        ([phase("a", merge=True), phase("b")], [[0], [1]]),  # the first cannot merge: alone
        ([phase("a"), phase("b", merge=False)], [[0], [1]]),
    ],
)
def test_phase_groups(phases, groups):
    assert rules.phase_groups(phases) == groups


@pytest.mark.parametrize(
    ("phases", "items", "expected"),
    [
        # No phase: every item in one parallel group, the largest limit.
        ([], [("SC-001", None), ("SC-002", None), ("SW-001", None)], 15),
        # Two phases one after the other: their items' largest limits add up.
        ([phase("a"), phase("b")], [("SC-001", "a"), ("SC-002", "b")], 25),
        # Merged: counted once, as the longer of the two.
        ([phase("a"), phase("b", merge=True)], [("SC-001", "a"), ("SC-002", "b")], 15),
        # A phase's own limit wins over its items'.
        ([phase("a", 4), phase("b")], [("SC-001", "a"), ("SC-002", "b")], 19),
        ([phase("a", 4), phase("b", 3, merge=True)], [("SC-001", "a"), ("SC-002", "b")], 4),
        # Phases with no item and no limit take 0 days.
        ([phase("a"), phase("b"), phase("c", 2)], [("SC-001", "a")], 12),
        # Items without a phase form one more group.
        ([phase("a"), phase("b", merge=True)], [("SC-001", "a"), ("SC-002", None), ("SW-001", None)], 25),
        # An item without a published version counts 0.
        ([phase("a")], [("XX-9", "a"), ("SW-001", "a")], 0),
        # Three merged with one: 立项 → (工程建设 ∥ 施工) → 验收.
        (
            [phase("立项", 5), phase("工程建设"), phase("施工", merge=True), phase("验收", 8)],
            [("SC-001", "工程建设"), ("SC-002", "施工")],
            5 + 15 + 8,
        ),
    ],
)
def test_critical_path(phases, items, expected):
    spec = {"phases": phases, "items": [{"item_code": c, "phase": p} for c, p in items]}
    assert rules.critical_path(spec, LIMITS) == expected


@pytest.mark.parametrize(
    ("promised", "merge", "expected"),
    [
        (25, False, []),
        (24, False, [warning(25, 24)]),
        (15, True, []),
        (14, True, [warning(15, 14)]),
    ],
)
def test_bundle_warnings(promised, merge, expected):
    spec = construction(promised=promised, phases=[phase("工程建设许可"), phase("施工许可", merge=merge)])
    found = rules.bundle_warnings(spec, rules.CatalogCodes(item_limits=LIMITS))
    assert [w.message for w in found] == expected
    assert {w.field for w in found} <= {"promised_limit"}


# --- the spec and its rules ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("phases", "stored"),
    [
        # Without the key (every spec written before): not merged.
        ([{"name": "登记", "promised_limit": 5}, {"name": "税务", "promised_limit": 3}], [False, False]),
        ([phase("登记", 5, merge=False), phase("税务", 3, merge=True)], [False, True]),
        ([phase("登记", 5), phase("税务", 3, merge=None)], [False, False]),
    ],
)
def test_spec_import_with_and_without_the_key(org, phases, stored):
    services.catalog_import_specs(
        center=org.center, themes=[], items=ITEMS, bundles=[bundle_spec(phases=phases)]
    )
    bundle = Bundle.objects.get(code="QYKB")
    assert [p.merge_with_previous for p in bundle.phases.order_by("position")] == stored
    spec = stored_spec(bundle)
    assert [p["merge_with_previous"] for p in spec["phases"]] == stored
    assert spec == canonical_bundle(bundle_spec(phases=phases))
    # The same spec again changes nothing.
    again = services.catalog_import_specs(
        center=org.center, themes=[], items=[], bundles=[bundle_spec(phases=phases)]
    )
    assert again.bundles_unchanged == 1


FIRST = "Phase 登记 is the first phase: there is no phase before it to open with."


@pytest.mark.parametrize(
    ("phases", "promised", "errors"),
    [
        ([phase("登记", 5, merge=True), phase("税务", 3)], 8, {"phases.1.merge_with_previous": [FIRST]}),
        ([phase("登记", 5), phase("税务", 3, merge=True)], 8, {}),
        (
            [phase("登记", 5), phase("税务", 3, merge="yes")],  # type: ignore[arg-type]
            8,
            {"phases.2.merge_with_previous": ["merge_with_previous must be true or false, not yes."]},
        ),
        # The phases' own limits: merged phases count once (5, not 5 + 3).
        ([phase("登记", 5), phase("税务", 3, merge=True)], 5, {}),
        (
            [phase("登记", 5), phase("税务", 3)],
            5,
            {
                "phases": [
                    "The phases add up to 8 working days, more than the bundle's promised limit 5: "
                    "shorten the phases or raise the bundle's limit."
                ]
            },
        ),
    ],
)
def test_phase_rules(org, phases, promised, errors):
    services.catalog_import_specs(center=org.center, themes=[], items=ITEMS, bundles=[])
    spec = bundle_spec(phases=phases, promised_limit=promised)
    if not errors:
        services.bundle_save(center=org.center, spec=spec)
        assert Bundle.objects.filter(code="QYKB").exists()
        return
    with pytest.raises(ValidationFailed) as exc:
        services.bundle_save(center=org.center, spec=spec)
    assert exc.value.details == errors
    assert not Bundle.objects.exists()


def test_phases_not_a_list_is_reported_once(org):
    spec = bundle_spec(phases="登记", items=[{"item_code": "SC-001", "phase": None}], fields=[], materials=[])
    found = rules.check_bundle(
        spec, rules.CatalogCodes(departments={"SCJG": "x"}, items=frozenset({"SC-001"}))
    )
    assert found == [rules.RuleError("phases", "phases must be a list.")]


def test_first_phase_error_is_translated(org):
    spec = bundle_spec(phases=[phase("登记", 5, merge=True)])
    with translation.override("zh-hans"):
        found = rules.check_bundle(spec, services.catalog_codes(org.center))
        message = rules.bundle_warnings(construction(promised=1), rules.CatalogCodes(item_limits=LIMITS))
    assert (
        rules.RuleError("phases.1.merge_with_previous", "阶段 登记 是第一个阶段：没有可与之合并的上一阶段。")
        in found
    )
    assert [w.message for w in message] == ["各阶段的关键路径（15 个工作日）长于主题的承诺时限（1）。"]


# --- the warning on import and on a stored bundle ------------------------------------------------
@pytest.mark.parametrize(
    ("merge", "promised", "warned"),
    [
        (True, 15, False),  # max(10, 15) + 0
        (True, 14, True),
        (False, 25, False),  # 10 + 15 + 0
        (False, 20, True),
    ],
)
def test_import_lists_the_critical_path_warning(org, merge, promised, warned):
    spec = construction(promised=promised, phases=[phase("工程建设许可"), phase("施工许可", merge=merge)])
    result = services.catalog_import_specs(center=org.center, themes=[], items=ITEMS, bundles=[spec])
    assert result.bundles_created == 1  # a warning never refuses
    days = 15 if merge else 25
    expected = (
        [{"bundle": "QYKB", "index": 0, "field": "promised_limit", "message": warning(days, promised)}]
        if warned
        else []
    )
    assert list(result.warnings) == expected
    assert selectors.bundle_critical_path(Bundle.objects.get(code="QYKB")) == days


def test_warning_uses_the_limits_being_imported(org):
    services.catalog_import_specs(center=org.center, themes=[], items=ITEMS, bundles=[])
    # SC-002 shortened to 9 in the same import: the path is max(10, 9) = 10.
    result = services.catalog_import_specs(
        center=org.center,
        themes=[],
        items=[item_spec(code="SC-002", name="药品零售企业许可", promised_limit=9)],
        bundles=[construction(promised=10)],
    )
    assert result.warnings == ()


def test_bundle_critical_path_reads_published_limits(org, django_assert_max_num_queries):
    services.catalog_import_specs(
        center=org.center,
        themes=[],
        items=ITEMS,
        bundles=[construction(phases=[phase("工程建设许可", 4), phase("施工许可")])],
    )
    bundle = Bundle.objects.get(code="QYKB")
    with django_assert_max_num_queries(2):
        assert selectors.bundle_critical_path(bundle) == 4 + 15 + 0
    prefetched = selectors.bundle_by_code("QYKB", center=org.center)
    with django_assert_max_num_queries(1):
        assert selectors.bundle_critical_path(prefetched) == 19
    # A new published version with a shorter limit shortens the path.
    services.catalog_import_specs(
        center=org.center, themes=[], items=[item_spec(code="SC-002", promised_limit=7)], bundles=[]
    )
    assert selectors.bundle_critical_path(bundle) == 4 + 7


# --- the workbook -----------------------------------------------------------------------------
def _workbook(org: Any) -> Any:
    return load_workbook(io.BytesIO(excel.catalog_export_workbook(center=org.center)))


def _save(wb: Any) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


PHASES_TITLE = excel.SHEET_BY_NAME["bundle_phases"].title


@pytest.mark.parametrize(
    ("drop_column", "merged_after"),
    [
        (False, [False, True]),  # the export round trip keeps the column
        (True, [False, False]),  # a workbook without the column imports, every phase 否
    ],
)
def test_workbook_round_trip_with_and_without_the_column(org, drop_column, merged_after):
    services.catalog_import_specs(center=org.center, themes=[], items=ITEMS, bundles=[construction()])
    wb = _workbook(org)
    ws = wb[PHASES_TITLE]
    headers = [c.value for c in ws[1]]
    assert headers == ["一件事编码", "阶段名称", "阶段承诺时限（工作日）", "与上一阶段合并"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        ["QYKB", "工程建设许可", None, "否"],
        ["QYKB", "施工许可", None, "是"],
    ]
    if drop_column:
        ws.delete_cols(4)
    result = excel.catalog_import_workbook(center=org.center, data=_save(wb))
    assert (result.bundles_unchanged, result.bundles_updated) == ((0, 1) if drop_column else (1, 0))
    stored = Bundle.objects.get(code="QYKB").phases.order_by("position")
    assert [p.merge_with_previous for p in stored] == merged_after


def test_workbook_merging_the_first_phase_is_an_error_on_its_row(org):
    services.catalog_import_specs(center=org.center, themes=[], items=ITEMS, bundles=[construction()])
    wb = _workbook(org)
    wb[PHASES_TITLE]["D2"] = "是"
    with pytest.raises(ValidationFailed) as exc:
        excel.catalog_import_workbook(center=org.center, data=_save(wb))
    assert exc.value.details == [
        {
            "sheet": PHASES_TITLE,
            "row": 2,
            "column": "与上一阶段合并",
            "cell": "D2",
            "message": "Phase 工程建设许可 is the first phase: there is no phase before it to open with.",
            "key": "merge_with_previous",
        }
    ]


def test_workbook_bad_boolean_in_the_column(org):
    services.catalog_import_specs(center=org.center, themes=[], items=ITEMS, bundles=[construction()])
    wb = _workbook(org)
    wb[PHASES_TITLE]["D3"] = "合并"
    with pytest.raises(ValidationFailed) as exc:
        excel.catalog_import_workbook(center=org.center, data=_save(wb))
    assert [(d["cell"], d["key"]) for d in exc.value.details] == [("D3", "merge_with_previous")]


@pytest.mark.parametrize(("promised", "warned"), [(15, False), (14, True)])
def test_workbook_warning_is_located_on_the_bundle_row(org, promised, warned):
    services.catalog_import_specs(center=org.center, themes=[], items=ITEMS, bundles=[construction()])
    wb = _workbook(org)
    ws = wb[excel.SHEET_BY_NAME["bundles"].title]
    letter = next(c.column_letter for c in ws[1] if c.value == "承诺时限（工作日）")
    ws[f"{letter}2"] = promised
    result = excel.catalog_import_workbook(center=org.center, data=_save(wb))
    assert result.bundles_updated == 1
    expected = [
        {
            "sheet": "一件事主题",
            "row": 2,
            "column": "承诺时限（工作日）",
            "cell": f"{letter}2",
            "message": warning(15, 14),
            "key": "promised_limit",
        }
    ]
    assert list(result.warnings) == (expected if warned else [])


def test_import_command_prints_the_warnings(org, tmp_path, capsys):
    from django.core.management import call_command

    services.catalog_import_specs(
        center=org.center, themes=[], items=ITEMS, bundles=[construction(promised=15)]
    )
    wb = _workbook(org)
    ws = wb[excel.SHEET_BY_NAME["bundles"].title]
    letter = next(c.column_letter for c in ws[1] if c.value == "承诺时限（工作日）")
    ws[f"{letter}2"] = 12
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(_save(wb))
    call_command("import_catalog", str(path), "--center", org.center.code)
    assert warning(15, 12) in capsys.readouterr().out


# --- the admin --------------------------------------------------------------------------------
@pytest.fixture
def admin_client(client, org):
    user = org.user("centeradmin")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    return client


def _admin_post(org: Any, *, promised: int, merges: tuple[bool, bool]) -> dict[str, Any]:
    sc1, sc2, sw = (ServiceItem.objects.get(code=c) for c in ("SC-001", "SC-002", "SW-001"))
    data: dict[str, Any] = {
        "code": "GCJS",
        "name": "工程建设项目审批",
        "description": "",
        "lead_department": str(org.dept_a.pk),
        "promised_limit": str(promised),
        "active": "on",
    }
    for prefix, total in (
        ("phases", 2),
        ("bundle_items", 3),
        ("fields", 0),
        ("materials", 0),
        ("questions", 0),
    ):
        data |= {
            f"{prefix}-TOTAL_FORMS": str(total),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    for n, (name, merge) in enumerate(zip(("工程建设许可", "施工许可"), merges, strict=True)):
        data |= {
            f"phases-{n}-position": str(n + 1),
            f"phases-{n}-name": name,
            f"phases-{n}-promised_limit": "",
        }
        if merge:
            data[f"phases-{n}-merge_with_previous"] = "on"
    for n, (item, phase_name) in enumerate(((sc1, "工程建设许可"), (sc2, "施工许可"), (sw, ""))):
        data |= {
            f"bundle_items-{n}-position": str(n + 1),
            f"bundle_items-{n}-item": str(item.pk),
            f"bundle_items-{n}-phase_name": phase_name,
        }
    return data


@pytest.mark.parametrize(
    ("promised", "merges", "saved", "shown"),
    [
        (15, (False, True), True, None),
        (14, (False, True), True, warning(15, 14)),  # saved, with a warning message
        (25, (False, False), True, None),
        (20, (True, False), False, "Phase 工程建设许可 is the first phase"),  # refused, on the row
    ],
)
def test_admin_merge_and_warning(admin_client, org, promised, merges, saved, shown):
    services.catalog_import_specs(center=org.center, themes=[], items=ITEMS, bundles=[])
    response = admin_client.post(
        reverse("admin:catalog_bundle_add"), _admin_post(org, promised=promised, merges=merges), follow=True
    )
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert Bundle.objects.filter(code="GCJS").exists() is saved
    if saved:
        stored = BundlePhase.objects.filter(bundle__code="GCJS").order_by("position")
        assert [p.merge_with_previous for p in stored] == list(merges)
        warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
        assert warnings == ([shown] if shown else [])
    else:
        assert shown in page
