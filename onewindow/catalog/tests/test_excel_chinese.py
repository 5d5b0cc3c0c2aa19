"""The catalog workbook an administrator can read: Chinese sheet titles, headers and enumerated
values on export; Chinese or the English codes of older workbooks on import; an exact round trip."""

from __future__ import annotations

import pytest
from django.utils import translation
from openpyxl import Workbook

from onewindow.catalog import excel
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.spec import bundle_spec as stored_bundle
from onewindow.catalog.spec import item_spec as stored_item
from onewindow.catalog.tests.test_excel import column_of, import_errors, load_catalog, save, sheet, workbook
from onewindow.org.models import Center, Department, Window

pytestmark = pytest.mark.usefixtures("english")


def values(data: bytes) -> dict[str, list[list[object]]]:
    """Every cell value of every sheet, by sheet title."""
    wb = workbook(data)
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def cell(wb, sheet_name: str, key: str, row: int):
    ws = sheet(wb, sheet_name)
    return ws[f"{column_of(ws, key)}{row}"].value


def test_export_is_in_chinese(org):
    load_catalog(org)
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    assert [c.value for c in sheet(wb, "items")[1]][:8] == [
        "事项编码",
        "事项名称",
        "事项类别",
        "实施部门编码",
        "受理窗口编码",
        "办件类型",
        "法定时限（工作日）",
        "承诺时限（工作日）",
    ]
    assert [cell(wb, "items", "handling_type", n) for n in (2, 3, 4)] == ["承诺件", "上报件", "即办件"]
    assert cell(wb, "items", "kind", 2) == "行政许可"
    assert (cell(wb, "items", "online_allowed", 2), cell(wb, "items", "green_channel_eligible", 2)) == (
        "是",
        "否",
    )
    assert [cell(wb, "materials", key, 2) for key in ("requirement", "form")] == ["必要", "原件"]
    assert [cell(wb, "materials", key, 4) for key in ("requirement", "form")] == ["视情形", "复印件"]
    assert cell(wb, "steps", "kind", 2) == "受理"
    assert cell(wb, "themes", "audience", 2) == "企业"
    readme = [[c.value for c in row] for row in wb[excel.README_SHEET].iter_rows()]
    handling = next(row for row in readme if row[2] == "handling_type")
    assert handling[:3] == ["事项", "办件类型", "handling_type"]
    assert handling[6] == "即办件（instant）、承诺件（promised）、上报件（reported）、联办件（joint）"


def test_export_is_in_chinese_whatever_the_interface_language(org):
    load_catalog(org)
    english = values(excel.catalog_export_workbook(center=org.center))
    with translation.override("zh-hans"):
        chinese = values(excel.catalog_export_workbook(center=org.center))
    data_sheets = [spec.title for spec in excel.SHEETS]
    assert {t: english[t] for t in data_sheets} == {t: chinese[t] for t in data_sheets}


def test_round_trip_is_exact(org):
    load_catalog(org)
    first = excel.catalog_export_workbook(center=org.center)
    result = excel.catalog_import_workbook(center=org.center, data=first)
    assert not result.changed
    second = excel.catalog_export_workbook(center=org.center)
    assert values(second) == values(first)

    # into another center, and out again: the same sheets, cell for cell
    other = Center.objects.create(code="TWO", name="第二中心", level=Center.Level.COUNTY)
    scjg = Department.objects.create(center=other, code="SCJG", name="市场监督管理局")
    Department.objects.create(center=other, code="SW", name="税务局")
    Window.objects.create(center=other, code="A01", name="窗口", department=scjg)
    assert excel.catalog_import_workbook(center=other, data=first).items_created == 3
    theirs = values(excel.catalog_export_workbook(center=other))
    mine = values(first)
    assert {spec.title: theirs[spec.title] for spec in excel.SHEETS} == {
        spec.title: mine[spec.title] for spec in excel.SHEETS
    }


def old_english_workbook(data: bytes) -> bytes:
    """The workbook as exported before it was in Chinese: English sheet names, the keys as headers,
    the codes as values and TRUE/FALSE booleans."""
    wb = workbook(data)
    for spec in excel.SHEETS:
        ws = wb[spec.title]
        ws.title = spec.name
        for col, header_cell in zip(spec.columns, ws[1], strict=True):
            assert header_cell.value == col.header
            header_cell.value = col.key
            for (value_cell,) in ws.iter_rows(
                min_row=2, min_col=header_cell.column, max_col=header_cell.column
            ):
                if value_cell.value in (None, ""):
                    continue
                if col.kind == excel.columns.CHOICE:
                    value_cell.value = col.to_code(value_cell.value)
                elif col.kind == excel.columns.BOOL:
                    value_cell.value = value_cell.value == "是"
    return save(wb)


def test_an_old_english_coded_workbook_imports(org):
    load_catalog(org)
    before = {code: stored_item(ServiceItem.objects.get(code=code).published_version) for code in ("SC-001",)}
    old = old_english_workbook(excel.catalog_export_workbook(center=org.center))
    wb = workbook(old)
    assert wb["items"]["F1"].value == "handling_type" and wb["items"]["F2"].value == "promised"
    # unchanged: the same catalog, read from the codes
    result = excel.catalog_import_workbook(center=org.center, data=old)
    assert (result.items_unchanged, result.themes_unchanged, result.bundles_unchanged) == (3, 2, 1)
    assert stored_item(ServiceItem.objects.get(code="SC-001").published_version) == before["SC-001"]
    # and into an empty center it creates the same catalog
    other = Center.objects.create(code="TWO", name="第二中心", level=Center.Level.COUNTY)
    scjg = Department.objects.create(center=other, code="SCJG", name="市场监督管理局")
    Department.objects.create(center=other, code="SW", name="税务局")
    Window.objects.create(center=other, code="A01", name="窗口", department=scjg)
    result = excel.catalog_import_workbook(center=other, data=old)
    assert result.items_created == 3
    for code in ("SC-001", "SC-002", "SW-001"):
        mine = ServiceItem.objects.get(center=org.center, code=code).published_version
        theirs = ServiceItem.objects.get(center=other, code=code).published_version
        assert stored_item(theirs) == stored_item(mine)
    assert stored_bundle(other.bundles.get()) == stored_bundle(org.center.bundles.get())


def test_an_old_workbook_with_errors_is_reported_with_the_chinese_header(org):
    load_catalog(org)
    wb = workbook(old_english_workbook(excel.catalog_export_workbook(center=org.center)))
    wb["items"]["G3"] = "twenty"  # legal_limit
    assert import_errors(org, save(wb)) == [
        {
            "sheet": "items",
            "row": 3,
            "column": "法定时限（工作日）",
            "cell": "G3",
            "message": "Expected a whole number, found twenty.",
            "key": "legal_limit",
        }
    ]


def chinese_workbook(rows: dict[str, list[dict[str, object]]]) -> bytes:
    """A workbook typed by hand in Chinese: every sheet with its Chinese title and headers, the
    rows given by key."""
    wb = Workbook()
    wb.remove(wb.active)
    for spec in excel.SHEETS:
        ws = wb.create_sheet(spec.title)
        ws.append(spec.headers)
        for row in rows.get(spec.name, []):
            ws.append([row.get(key) for key in spec.keys])
    return save(wb)


def test_a_chinese_workbook_imports(org):
    data = chinese_workbook(
        {
            "items": [
                {
                    "code": "SC-101",
                    "name": "食品经营许可",
                    "kind": "行政许可",
                    "department_code": "SCJG",
                    "handling_type": "承诺件",
                    "legal_limit": 20,
                    "promised_limit": 6,
                    "online_allowed": "是",
                    "handled_at_center": "否",
                },
                {
                    "code": "SW-101",
                    "name": "发票领用",
                    "kind": "公共服务",
                    "department_code": "SW",
                    "handling_type": "即办件",
                    "legal_limit": 1,
                    "promised_limit": 0,
                },
            ],
            "materials": [
                {"item_code": "SC-101", "name": "申请书", "requirement": "必要", "form": "原件", "copies": 1},
                {
                    "item_code": "SC-101",
                    "name": "租赁合同",
                    "requirement": "非必要",  # another word for 视情形
                    "condition": "租赁场所",
                    "form": "原件及复印件",
                    "copies": 2,
                },
                {
                    "item_code": "SW-101",
                    "name": "身份证",
                    "requirement": "必要",
                    "form": "复印件",
                    "copies": 1,
                },
            ],
            "steps": [
                {
                    "item_code": "SC-101",
                    "name": "受理",
                    "kind": "受理",
                    "post_code": "accept",
                    "limit_days": 1,
                },
                {
                    "item_code": "SC-101",
                    "name": "审查",
                    "kind": "审查",
                    "post_code": "review",
                    "limit_days": 3,
                },
                {
                    "item_code": "SC-101",
                    "name": "决定",
                    "kind": "决定",
                    "post_code": "decide",
                    "limit_days": 2,
                },
                {
                    "item_code": "SW-101",
                    "name": "受理并办结",
                    "kind": "决定",
                    "post_code": "accept",
                    "limit_days": 0,
                    "on_site": "是",
                },
            ],
            "themes": [{"code": "QYKB", "name": "企业开办", "audience": "个人和企业"}],
        }
    )
    result = excel.catalog_import_workbook(center=org.center, data=data)
    assert (result.items_created, result.themes_created) == (2, 1)
    food = stored_item(ServiceItem.objects.get(code="SC-101").published_version)
    assert (food["kind"], food["handling_type"], food["online_allowed"], food["handled_at_center"]) == (
        "license",
        "promised",
        True,
        False,
    )
    assert [(m["requirement"], m["form"]) for m in food["materials"]] == [
        ("required", "original"),
        ("conditional", "original_and_copy"),
    ]
    assert [s["kind"] for s in food["steps"]] == ["accept", "review", "decide"]
    invoice = stored_item(ServiceItem.objects.get(code="SW-101").published_version)
    assert (invoice["kind"], invoice["handling_type"]) == ("public_service", "instant")
    assert invoice["materials"][0]["form"] == "copy"
    # exported again, it reads as it was typed
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    assert cell(wb, "materials", "requirement", 3) == "视情形"
    assert cell(wb, "themes", "audience", 2) == "个人和企业"


def test_headers_are_read_whatever_the_brackets_and_spaces(org):
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    items = sheet(wb, "items")
    items[f"{column_of(items, 'legal_limit')}1"] = "法定时限 (工作日)"
    items.append(
        ["SW-102", "发票代开", "公共服务", "SW", "", "即办件", 1, 0]
        + [None] * (len(excel.SHEET_BY_NAME["items"].keys) - 8)
    )
    sheet(wb, "steps").append(["SW-102", "办结", "决定", "accept", 0, "是"])
    assert excel.catalog_import_workbook(center=org.center, data=save(wb)).items_created == 1


def test_an_unknown_value_names_the_sheet_row_and_chinese_header(org):
    load_catalog(org)
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    items = sheet(wb, "items")
    letter = column_of(items, "handling_type")
    items[f"{letter}3"] = "加急件"
    materials = sheet(wb, "materials")
    materials[f"{column_of(materials, 'form')}2"] = "传真件"
    details = import_errors(org, save(wb))
    assert details == [
        {
            "sheet": "事项",
            "row": 3,
            "column": "办件类型",
            "cell": f"{letter}3",
            "message": "加急件 is not one of the values of this column: "
            "即办件（instant）、承诺件（promised）、上报件（reported）、联办件（joint）.",
            "key": "handling_type",
        },
        {
            "sheet": "申报材料",
            "row": 2,
            "column": "材料形式",
            "cell": f"{column_of(materials, 'form')}2",
            "message": "传真件 is not one of the values of this column: "
            "原件（original）、复印件（copy）、原件及复印件（original_and_copy）、电子版（electronic）.",
            "key": "form",
        },
    ]
    with translation.override("zh-hans"):
        report = excel.error_report(import_errors(org, save(wb)))
    assert report[0].startswith(f"工作表 事项，第 3 行，列 办件类型（单元格 {letter}3）：")
    assert "“加急件”不是本列的取值，请填写以下之一：即办件（instant）" in report[0]
