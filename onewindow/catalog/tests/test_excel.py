from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from onewindow.catalog import excel, services
from onewindow.catalog.models import Material, ServiceItem, ServiceItemVersion
from onewindow.catalog.spec import ITEM_VERSION_FIELDS, MATERIAL_FILE_KEYS, MATERIAL_KEYS
from onewindow.catalog.spec import bundle_spec as stored_bundle
from onewindow.catalog.spec import item_spec as stored_item
from onewindow.catalog.tests.conftest import bundle_spec, instant_spec, item_spec
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry
from onewindow.org.models import Center, Department, Window

pytestmark = pytest.mark.usefixtures("english")


def test_the_item_version_field_list_is_the_one_source():
    """ITEM_VERSION_FIELDS and MATERIAL_KEYS name real columns, and the workbook has a column for
    each (the admin form and the draft writer use the lists themselves)."""
    version_columns = {f.name for f in ServiceItemVersion._meta.get_fields()}
    material_columns = {f.name for f in Material._meta.get_fields()}
    assert set(ITEM_VERSION_FIELDS) <= version_columns
    assert set(MATERIAL_KEYS) | set(MATERIAL_FILE_KEYS) <= material_columns
    assert set(excel.SHEET_BY_NAME["items"].keys) == {
        "code",
        "department_code",
        "window_code",
        "themes",
        *ITEM_VERSION_FIELDS,
    }
    assert excel.SHEET_BY_NAME["materials"].keys == ["item_code", *MATERIAL_KEYS]


THEMES = [
    {"code": "QYKB", "name": "企业开办", "audience": "enterprise"},
    {"code": "SHSW", "name": "社会事务", "audience": "person", "position": 2},
]


def load_catalog(org):
    import datetime as dt

    items = [
        item_spec(
            themes=["QYKB", "SHSW"],
            window_code="A01",
            deemed_approval_days=2,
            valid_from=dt.date(2026, 1, 1),
            conditions="=SUM(A1)\n第二行",
        ),
        instant_spec(themes=["QYKB"]),
        item_spec(
            code="SC-002",
            name="药品零售企业许可",
            handling_type="reported",
            steps=[
                {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 1},
                {"name": "上报", "kind": "report", "post_code": "approve", "limit_days": 2, "on_site": False},
            ],
            materials=[{"name": "营业执照", "shared_result_item_code": "SC-001"}],
        ),
    ]
    services.catalog_import_specs(
        center=org.center, themes=THEMES, items=items, bundles=[bundle_spec(questions=[INVOICE])]
    )


INVOICE = {
    "key": "invoice",
    "text": "是否需要申领发票？",
    "options": [
        {"value": "yes", "label": "是", "item_codes": ["SW-001"]},
        {"value": "no", "label": "否", "item_codes": []},
    ],
}


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sheet(wb, name):
    """The sheet of key `name` (e.g. "items"), titled in Chinese in the workbook (事项)."""
    return wb[excel.SHEET_BY_NAME[name].title]


def column_of(ws, key):
    """The letter of the column of key `key` (its header is in Chinese, or the key in an old workbook)."""
    spec = excel.SHEET_BY_TITLE.get(ws.title) or excel.SHEET_BY_NAME[ws.title]
    for cell in ws[1]:
        if cell.value in (spec.column(key).header, key):
            return cell.column_letter
    raise KeyError(key)


def import_errors(org, data):
    with pytest.raises(ValidationFailed) as exc:
        excel.catalog_import_workbook(center=org.center, data=data)
    return exc.value.details


def test_export_has_every_sheet_with_fixed_headers(org):
    load_catalog(org)
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    assert wb.sheetnames == [excel.README_SHEET, *[s.title for s in excel.SHEETS]]
    assert wb.sheetnames[1:4] == ["事项", "申报材料", "办理流程"]
    for spec in excel.SHEETS:
        assert [c.value for c in wb[spec.title][1]] == spec.headers
    assert sheet(wb, "items").max_row == 4
    assert sheet(wb, "steps").max_row == 1 + 3 + 1 + 2
    assert sheet(wb, "items")["A2"].value == "SC-001"
    # Text that looks like a formula stays text.
    conditions = sheet(wb, "items")[f"{column_of(sheet(wb, 'items'), 'conditions')}2"]
    assert conditions.value == "=SUM(A1)\n第二行" and conditions.data_type == "s"
    readme = {(r[0].value, r[1].value, r[2].value) for r in wb[excel.README_SHEET].iter_rows(min_row=2)}
    assert ("事项", "法定时限（工作日）", "legal_limit") in readme


def test_round_trip_creates_no_new_versions(org):
    load_catalog(org)
    before = {v.item.code: stored_item(v) for v in ServiceItemVersion.objects.filter(status="published")}
    versions = ServiceItemVersion.objects.count()
    audits = AuditEntry.objects.count()
    result = excel.catalog_import_workbook(
        center=org.center, data=excel.catalog_export_workbook(center=org.center)
    )
    assert (result.items_unchanged, result.themes_unchanged, result.bundles_unchanged) == (3, 2, 1)
    assert not result.changed
    assert ServiceItemVersion.objects.count() == versions
    after = {v.item.code: stored_item(v) for v in ServiceItemVersion.objects.filter(status="published")}
    assert after == before
    # no change and no person (a command or loader): nothing for the audit trail (issue 12 §6)
    assert AuditEntry.objects.count() == audits
    excel.catalog_import_workbook(
        center=org.center,
        data=excel.catalog_export_workbook(center=org.center),
        actor=org.user("centeradmin"),
    )
    assert AuditEntry.objects.count() == audits + 1  # a person's import: the summary only


def test_round_trip_into_another_center_gives_the_same_catalog(org):
    load_catalog(org)
    data = excel.catalog_export_workbook(center=org.center)
    other = Center.objects.create(code="TWO", name="第二中心", level=Center.Level.COUNTY)
    Department.objects.create(center=other, code="SCJG", name="市场监督管理局")
    Department.objects.create(center=other, code="SW", name="税务局")
    Window.objects.create(
        center=other, code="A01", name="窗口", department=other.departments.get(code="SCJG")
    )
    result = excel.catalog_import_workbook(center=other, data=data)
    assert result.items_created == 3
    assert result.bundles_created == 1
    for code in ("SC-001", "SC-002", "SW-001"):
        mine = ServiceItem.objects.get(center=org.center, code=code).published_version
        theirs = ServiceItem.objects.get(center=other, code=code).published_version
        assert stored_item(theirs) == stored_item(mine)
    assert stored_bundle(other.bundles.get()) == stored_bundle(org.center.bundles.get())
    assert excel.catalog_export_workbook(center=other) != b""


def test_changed_cell_makes_one_new_version(org):
    load_catalog(org)
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    ws = sheet(wb, "items")
    ws[f"{column_of(ws, 'promised_limit')}2"] = 9
    result = excel.catalog_import_workbook(center=org.center, data=save(wb))
    assert (result.items_new_versions, result.items_unchanged) == (1, 2)
    assert ServiceItem.objects.get(code="SC-001").published_version.number == 2


def test_missing_sheet(org):
    load_catalog(org)
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    del wb["办理流程"]
    assert import_errors(org, save(wb)) == [
        {
            "sheet": "办理流程",
            "row": None,
            "column": None,
            "cell": None,
            "message": "The sheet 办理流程 is missing: add it, with the header row "
            "事项编码, 环节名称, 环节类型, 岗位编码, 环节时限（工作日）, 现场办理.",
            "key": None,
        }
    ]


def test_wrong_header(org):
    load_catalog(org)
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    ws = sheet(wb, "items")
    letter = column_of(ws, "legal_limit")
    ws[f"{letter}1"] = "法定期限"
    assert import_errors(org, save(wb)) == [
        {
            "sheet": "事项",
            "row": 1,
            "column": "法定期限",
            "cell": f"{letter}1",
            "message": "Unknown column 法定期限 in the header row: the columns are "
            + ", ".join(excel.SHEET_BY_NAME["items"].headers)
            + ".",
            "key": None,
        },
        {
            "sheet": "事项",
            "row": 1,
            "column": "法定时限（工作日）",
            "cell": None,
            "message": "Column 法定时限（工作日） is missing from the header row (row 1): add it.",
            "key": "legal_limit",
        },
    ]


def test_text_in_a_number_column(org):
    load_catalog(org)
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    ws = sheet(wb, "items")
    letter = column_of(ws, "legal_limit")
    ws[f"{letter}3"] = "二十"
    assert import_errors(org, save(wb)) == [
        {
            "sheet": "事项",
            "row": 3,
            "column": "法定时限（工作日）",
            "cell": f"{letter}3",
            "message": "Expected a whole number, found 二十.",
            "key": "legal_limit",
        }
    ]


def test_bad_boolean_and_date(org):
    load_catalog(org)
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    ws = sheet(wb, "items")
    ws[f"{column_of(ws, 'online_allowed')}2"] = "maybe"
    ws[f"{column_of(ws, 'valid_to')}2"] = "next year"
    messages = [(e["row"], e["column"], e["message"]) for e in import_errors(org, save(wb))]
    assert messages == [
        (2, "可网上申报", "Expected TRUE or FALSE (or 是/否), found maybe."),
        (2, "有效期止", "Expected a date like 2026-01-31, found next year."),
    ]


def test_duplicate_code(org):
    load_catalog(org)
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    ws = sheet(wb, "items")
    ws.append([c.value for c in ws[3]])
    assert import_errors(org, save(wb)) == [
        {
            "sheet": "事项",
            "row": 5,
            "column": "事项编码",
            "cell": "A5",
            "message": "Code SC-002 is used by 2 items: codes must be unique within a center.",
            "key": "code",
        }
    ]


def test_unknown_department(org):
    load_catalog(org)
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    ws = sheet(wb, "items")
    letter = column_of(ws, "department_code")
    ws[f"{letter}4"] = "GA"
    assert import_errors(org, save(wb)) == [
        {
            "sheet": "事项",
            "row": 4,
            "column": "实施部门编码",
            "cell": f"{letter}4",
            "message": "Unknown department GA: use the code of a department of this center.",
            "key": "department_code",
        }
    ]


def test_rule_errors_are_mapped_to_child_rows(org):
    load_catalog(org)
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    materials = sheet(wb, "materials")
    materials[f"{column_of(materials, 'copies')}3"] = 0
    steps = sheet(wb, "steps")
    steps[f"{column_of(steps, 'post_code')}2"] = "boss"
    mappings = sheet(wb, "bundle_field_mappings")
    mappings[f"{column_of(mappings, 'item_code')}2"] = "SC-002"
    details = import_errors(org, save(wb))
    assert [(e["sheet"], e["row"], e["column"], e["message"]) for e in details] == [
        ("申报材料", 3, "份数", "Material 营业执照 has 0 copies: copies must be at least 1."),
        ("办理流程", 2, "岗位编码", "Unknown post boss: use the code of an existing post."),
        (
            "一件事字段对应",
            2,
            "事项编码",
            "Field company_name maps to item SC-002, which is not in the bundle: add the item first.",
        ),
    ]


def test_situation_questions_round_trip_and_their_errors_point_at_the_row(org):
    load_catalog(org)
    wb = workbook(excel.catalog_export_workbook(center=org.center))
    questions = sheet(wb, "bundle_questions")
    assert [[c.value for c in row] for row in questions.iter_rows(min_row=2)] == [
        ["QYKB", "invoice", "是否需要申领发票？", "yes", "是", "SW-001"],
        ["QYKB", "invoice", "是否需要申领发票？", "no", "否", None],
    ]
    assert stored_bundle(org.center.bundles.get())["questions"] == [INVOICE]
    questions[f"{column_of(questions, 'item_codes')}3"] = "SC-002"
    details = import_errors(org, save(wb))
    assert [(e["sheet"], e["row"], e["column"], e["message"]) for e in details] == [
        (
            "一件事情形问题",
            3,
            "选定事项编码",
            "Question invoice selects item SC-002, which is not in the bundle: add the item first.",
        ),
    ]


def test_one_bad_cell_writes_nothing(org):
    wb = workbook(excel.catalog_export_workbook(center=org.center))  # an empty catalog
    items, materials, steps = sheet(wb, "items"), sheet(wb, "materials"), sheet(wb, "steps")
    keys = excel.SHEET_BY_NAME["items"].keys
    for n in range(1, 6):
        row = {k: None for k in keys}
        row.update(
            code=f"N-{n}",
            name=f"事项{n}",
            department_code="SCJG",
            handling_type="instant",
            legal_limit=5,
            promised_limit=0 if n != 4 else 3,
        )
        items.append([row[k] for k in keys])
        materials.append([f"N-{n}", "申请书", "required", None, "original", 1, None, None])
        steps.append([f"N-{n}", "受理", "decide", "accept", 0, True])
    details = import_errors(org, save(wb))
    assert details == [
        {
            "sheet": "事项",
            "row": 5,
            "column": "承诺时限（工作日）",
            "cell": f"{column_of(items, 'promised_limit')}5",
            "message": "An instant item is decided in one sitting: its promised limit must be 0, not 3.",
            "key": "promised_limit",
        }
    ]
    assert not ServiceItem.objects.exists()
    assert not AuditEntry.objects.exists()
    # Fixed, the same workbook imports.
    items[f"{column_of(items, 'promised_limit')}5"] = 0
    result = excel.catalog_import_workbook(center=org.center, data=save(wb))
    assert result.items_created == 5


def test_not_a_workbook(org):
    with pytest.raises(ValidationFailed) as exc:
        excel.catalog_import_workbook(center=org.center, data=b"code,name\n1,2\n")
    assert exc.value.code == "invalid_workbook"


def test_import_needs_permission(org):
    data = excel.catalog_export_workbook(center=org.center)
    with pytest.raises(PermissionDenied):
        excel.catalog_import_workbook(center=org.center, data=data, actor=org.user("clerk"))
    excel.catalog_import_workbook(center=org.center, data=data, actor=org.user("centeradmin"))


def test_management_commands(org, tmp_path, capsys):
    load_catalog(org)
    path = tmp_path / "catalog.xlsx"
    call_command("export_catalog", str(path), "--center", org.center.code)
    call_command("import_catalog", str(path), "--center", org.center.code)
    assert "Items: 0 created, 0 new versions, 3 unchanged." in capsys.readouterr().out

    wb = load_workbook(path)
    sheet(wb, "items")[f"{column_of(sheet(wb, 'items'), 'legal_limit')}2"] = "x"
    wb.save(path)
    with pytest.raises(CommandError):
        call_command("import_catalog", str(path), "--center", org.center.code)
    err = capsys.readouterr().err
    letter = column_of(sheet(wb, "items"), "legal_limit")
    assert (
        f"Sheet 事项, row 2, column 法定时限（工作日） (cell {letter}2): Expected a whole number, found x."
        in err
    )
