"""The workbook's sheets and columns: their keys, Chinese titles and headers, value types, whether
required, and their meaning (written to the 说明 sheet). Export and import both follow this one
description.

The workbook an administrator reads is in Chinese: sheet titles (事项, 申报材料, ...), header
cells (事项编码, 办件类型, ...), enumerated values (承诺件, 必要, 原件, ...: the zh-hans labels of
the model choices) and booleans (是/否), whatever the interface language. The import also accepts
the English sheet names, keys and codes of older workbooks (and the English labels), so that those
keep working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from onewindow.catalog.models import BundleField, Material, ProcessStep, ServiceItemVersion, Theme

README_SHEET = "说明"
WORKBOOK_LANGUAGE = "zh-hans"
"""The language of the workbook's enumerated values (the labels of the model choices)."""

TRUE_TEXT, FALSE_TEXT = "是", "否"

TEXT, INT, OPT_INT, BOOL, DATE, LIST, CHOICE = "text", "int", "opt_int", "bool", "date", "list", "choice"
TYPE_LABELS: dict[str, Promise] = {
    TEXT: gettext_lazy("text"),
    INT: gettext_lazy("whole number"),
    OPT_INT: gettext_lazy("whole number or empty"),
    BOOL: gettext_lazy("是 or 否 (also TRUE or FALSE)"),
    DATE: gettext_lazy("date (YYYY-MM-DD) or empty"),
    LIST: gettext_lazy("codes separated by commas"),
    CHOICE: gettext_lazy("one of the values listed"),
}

ALIASES: dict[str, str] = {"非必要": "conditional", "视情况提供": "conditional"}
"""Other words for an enumerated value that the import accepts (lower case)."""


def normalize(text: str) -> str:
    """A header or value as compared on import: no spaces, full-width brackets, lower case."""
    text = re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")
    return text.lower()


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str
    meaning: Promise
    required: bool = False
    choices: type[TextChoices] | None = None
    # The column may be left out of the header row (a column added later: older workbooks
    # without it still import, every row taking the empty value).
    may_be_absent: bool = False

    def labels(self) -> dict[str, str]:
        """{code: the value written in the workbook} of an enumerated column."""
        assert self.choices is not None
        with translation.override(WORKBOOK_LANGUAGE):
            return {str(value): str(label) for value, label in self.choices.choices}

    def values_text(self) -> str:
        """The accepted values of an enumerated column, for the 说明 sheet: "即办件（instant）、…"."""
        return "、".join(f"{label}（{code}）" for code, label in self.labels().items())

    def to_cell(self, code: str) -> str:
        """The workbook value of a code (a code without a label is written as it is)."""
        return self.labels().get(code, code)

    def to_code(self, raw: str) -> str | None:
        """The code of a value read from the workbook (its label in Chinese or English, the code
        itself, or an alias), or None when it is none of them."""
        assert self.choices is not None
        wanted = normalize(raw)
        if wanted in ALIASES and ALIASES[wanted] in self.choices.values:
            return ALIASES[wanted]
        chinese = self.labels()
        with translation.override("en"):
            english = {str(value): str(label) for value, label in self.choices.choices}
        for code in chinese:
            if wanted in (normalize(code), normalize(chinese[code]), normalize(english[code])):
                return code
        return None


@dataclass(frozen=True)
class SheetSpec:
    name: str
    title: str
    meaning: Promise
    columns: tuple[Column, ...]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _c(
    key: str,
    header: str,
    kind: str | type[TextChoices],
    meaning: Promise,
    required: bool = False,
    *,
    may_be_absent: bool = False,
) -> Column:
    if isinstance(kind, str):
        return Column(key, header, kind, meaning, required, may_be_absent=may_be_absent)
    return Column(key, header, CHOICE, meaning, required, kind, may_be_absent=may_be_absent)


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "items",
        "事项",
        gettext_lazy("Service items: one row per item (its published version)."),
        (
            _c(
                "code",
                "事项编码",
                TEXT,
                gettext_lazy("Item code, unique within the center (letters, digits, . - _)."),
                True,
            ),
            _c("name", "事项名称", TEXT, gettext_lazy("Item name (事项名称)."), True),
            _c(
                "kind",
                "事项类别",
                ServiceItemVersion.Kind,
                gettext_lazy("Kind of item (事项类别)."),
            ),
            _c(
                "department_code",
                "实施部门编码",
                TEXT,
                gettext_lazy("Code of the responsible department (实施部门)."),
                True,
            ),
            _c(
                "window_code",
                "受理窗口编码",
                TEXT,
                gettext_lazy("Code of the accepting window; empty: the department's windows."),
            ),
            _c(
                "handling_type",
                "办件类型",
                ServiceItemVersion.HandlingType,
                gettext_lazy("Handling type (办件类型): 即办件 is decided in one sitting."),
                True,
            ),
            _c(
                "legal_limit",
                "法定时限（工作日）",
                INT,
                gettext_lazy("Legal limit in working days (法定时限)."),
                True,
            ),
            _c(
                "promised_limit",
                "承诺时限（工作日）",
                INT,
                gettext_lazy("Promised limit in working days (承诺时限); 0 for instant items."),
                True,
            ),
            _c("legal_basis", "法定依据", TEXT, gettext_lazy("Legal basis (法定依据).")),
            _c("conditions", "申请条件", TEXT, gettext_lazy("Application conditions (申请条件).")),
            _c("procedure", "办理程序", TEXT, gettext_lazy("Procedure (办理程序).")),
            _c("fees", "收费标准", TEXT, gettext_lazy("Fees (收费标准); empty or 不收费 when free.")),
            _c("fee_basis", "收费依据", TEXT, gettext_lazy("Fee basis (收费依据).")),
            _c("contact", "咨询电话", TEXT, gettext_lazy("Contact (咨询电话).")),
            _c("online_allowed", "可网上申报", BOOL, gettext_lazy("Online application allowed.")),
            _c("appointment_allowed", "可预约办理", BOOL, gettext_lazy("Appointment allowed.")),
            _c(
                "visits_required",
                "到现场次数",
                INT,
                gettext_lazy("On-site visits required, 0 to 5 (0 = 零跑腿, 1 = 最多跑一次)."),
            ),
            _c(
                "green_channel_eligible",
                "可走绿色通道",
                BOOL,
                gettext_lazy("Green channel eligible (绿色通道)."),
            ),
            _c(
                "deemed_approval_days",
                "超期默认通过（工作日）",
                OPT_INT,
                gettext_lazy("Deemed approval after this many overdue working days; empty: none."),
            ),
            _c("handled_at_center", "进驻中心", BOOL, gettext_lazy("Handled at the center (进驻中心).")),
            _c("decided_at_window", "窗口授权办结", BOOL, gettext_lazy("Decided at the window (窗口授权).")),
            _c("valid_from", "有效期起", DATE, gettext_lazy("Valid from.")),
            _c("valid_to", "有效期止", DATE, gettext_lazy("Valid to.")),
            _c("themes", "浏览主题编码", LIST, gettext_lazy("Theme codes, separated by commas.")),
        ),
    ),
    SheetSpec(
        "materials",
        "申报材料",
        gettext_lazy("Materials (申报材料): one row per material, in order, under the item's code."),
        (
            _c("item_code", "事项编码", TEXT, gettext_lazy("Code of the item (from the items sheet)."), True),
            _c("name", "材料名称", TEXT, gettext_lazy("Material name, unique within the item."), True),
            _c(
                "requirement",
                "是否必要",
                Material.Requirement,
                gettext_lazy("Whether the material is always required or only in some cases (视情形)."),
            ),
            _c("condition", "提供情形", TEXT, gettext_lazy("When a conditional material is required.")),
            _c(
                "form",
                "材料形式",
                Material.Form,
                gettext_lazy("The form in which the material is handed in."),
            ),
            _c("copies", "份数", INT, gettext_lazy("Number of copies, at least 1.")),
            _c(
                "shared_result_item_code",
                "可共享结果的事项编码",
                TEXT,
                gettext_lazy("Code of an item whose result can stand in (资料共享)."),
            ),
            _c("note", "备注", TEXT, gettext_lazy("Note.")),
        ),
    ),
    SheetSpec(
        "steps",
        "办理流程",
        gettext_lazy("Process template (办理流程): one row per step, in order, under the item's code."),
        (
            _c("item_code", "事项编码", TEXT, gettext_lazy("Code of the item (from the items sheet)."), True),
            _c("name", "环节名称", TEXT, gettext_lazy("Step name, e.g. 受理, 审查, 决定."), True),
            _c(
                "kind",
                "环节类型",
                ProcessStep.Kind,
                gettext_lazy("Kind of step."),
                True,
            ),
            _c(
                "post_code",
                "岗位编码",
                TEXT,
                gettext_lazy("Code of the post that handles the step (岗位)."),
                True,
            ),
            _c("limit_days", "环节时限（工作日）", INT, gettext_lazy("Step limit in working days."), True),
            _c(
                "on_site",
                "现场办理",
                BOOL,
                gettext_lazy("Done at the center (是) or back in the department (否)."),
            ),
        ),
    ),
    SheetSpec(
        "themes",
        "浏览主题",
        gettext_lazy("Browsing themes (主题)."),
        (
            _c("code", "主题编码", TEXT, gettext_lazy("Theme code."), True),
            _c("name", "主题名称", TEXT, gettext_lazy("Theme name."), True),
            _c("audience", "服务对象", Theme.Audience, gettext_lazy("Who the theme is for.")),
            _c("position", "显示顺序", INT, gettext_lazy("Display order.")),
        ),
    ),
    SheetSpec(
        "bundles",
        "一件事主题",
        gettext_lazy("Bundles (一件事 / 并联审批主题): one row per bundle."),
        (
            _c("code", "一件事编码", TEXT, gettext_lazy("Bundle code, unique within the center."), True),
            _c("name", "一件事名称", TEXT, gettext_lazy("Bundle name."), True),
            _c("description", "说明", TEXT, gettext_lazy("Description.")),
            _c(
                "lead_department_code",
                "牵头部门编码",
                TEXT,
                gettext_lazy("Code of the lead department (牵头部门)."),
                True,
            ),
            _c(
                "promised_limit",
                "承诺时限（工作日）",
                INT,
                gettext_lazy("The bundle's promised limit in working days."),
                True,
            ),
            _c("active", "启用", BOOL, gettext_lazy("Active (offered to applicants).")),
        ),
    ),
    SheetSpec(
        "bundle_phases",
        "一件事阶段",
        gettext_lazy("Phases of a bundle, in order (e.g. 立项, 用地, 规划, 施工, 验收)."),
        (
            _c("bundle_code", "一件事编码", TEXT, gettext_lazy("Code of the bundle."), True),
            _c("name", "阶段名称", TEXT, gettext_lazy("Phase name, unique within the bundle."), True),
            _c(
                "promised_limit",
                "阶段承诺时限（工作日）",
                OPT_INT,
                gettext_lazy("The phase's promised limit in working days; may be empty."),
            ),
            _c(
                "merge_with_previous",
                "与上一阶段合并",
                BOOL,
                gettext_lazy(
                    "是: the phase opens together with the phase before and counts once with it "
                    "(e.g. land sold with its design, 带方案出让); empty: 否. Not for the first phase; "
                    "the column may be left out."
                ),
                may_be_absent=True,
            ),
        ),
    ),
    SheetSpec(
        "bundle_items",
        "一件事事项",
        gettext_lazy("The items of a bundle, in order."),
        (
            _c("bundle_code", "一件事编码", TEXT, gettext_lazy("Code of the bundle."), True),
            _c("item_code", "事项编码", TEXT, gettext_lazy("Code of the item."), True),
            _c(
                "phase", "所属阶段", TEXT, gettext_lazy("Name of the phase the item belongs to; empty: none.")
            ),
        ),
    ),
    SheetSpec(
        "bundle_fields",
        "一件事表单字段",
        gettext_lazy("Fields of the bundle's single form (一表制), in order."),
        (
            _c("bundle_code", "一件事编码", TEXT, gettext_lazy("Code of the bundle."), True),
            _c(
                "key",
                "字段键",
                TEXT,
                gettext_lazy("Field key (letters, digits, - and _), unique within the bundle."),
                True,
            ),
            _c("label", "字段标签", TEXT, gettext_lazy("Field label shown to the applicant."), True),
            _c(
                "field_type",
                "字段类型",
                BundleField.FieldType,
                gettext_lazy("Type of the field."),
            ),
            _c("required", "必填", BOOL, gettext_lazy("Required.")),
            _c("choices", "选项", TEXT, gettext_lazy("For a choice field: the choices separated by |.")),
        ),
    ),
    SheetSpec(
        "bundle_field_mappings",
        "一件事字段对应",
        gettext_lazy("Where a single-form field lands in each item's application."),
        (
            _c("bundle_code", "一件事编码", TEXT, gettext_lazy("Code of the bundle."), True),
            _c("field_key", "字段键", TEXT, gettext_lazy("Key of the field (from bundle_fields)."), True),
            _c("item_code", "事项编码", TEXT, gettext_lazy("Code of an item of the bundle."), True),
            _c(
                "target",
                "事项申请表字段",
                TEXT,
                gettext_lazy("Name of the field in that item's application."),
                True,
            ),
        ),
    ),
    SheetSpec(
        "bundle_materials",
        "一件事材料",
        gettext_lazy("The bundle's de-duplicated material list."),
        (
            _c("bundle_code", "一件事编码", TEXT, gettext_lazy("Code of the bundle."), True),
            _c("name", "材料名称", TEXT, gettext_lazy("Material name, unique within the bundle."), True),
            _c(
                "requirement",
                "是否必要",
                Material.Requirement,
                gettext_lazy("Whether the material is always required or only in some cases (视情形)."),
            ),
            _c(
                "form",
                "材料形式",
                Material.Form,
                gettext_lazy("The form in which the material is handed in."),
            ),
            _c("copies", "份数", INT, gettext_lazy("Number of copies, at least 1.")),
            _c(
                "item_codes",
                "适用事项编码",
                LIST,
                gettext_lazy("Codes of the items this material serves, separated by commas."),
                True,
            ),
        ),
    ),
    SheetSpec(
        "bundle_questions",
        "一件事情形问题",
        gettext_lazy(
            "Situation questions (情形引导): one row per answer option, in order; the rows of one "
            "question share its key."
        ),
        (
            _c("bundle_code", "一件事编码", TEXT, gettext_lazy("Code of the bundle."), True),
            _c(
                "question_key",
                "问题键",
                TEXT,
                gettext_lazy("Key of the question, unique within the bundle."),
                True,
            ),
            _c("question", "问题", TEXT, gettext_lazy("The question (taken from its first row)."), True),
            _c(
                "value",
                "选项取值",
                TEXT,
                gettext_lazy("Value of the option, unique within the question."),
                True,
            ),
            _c("label", "选项文字", TEXT, gettext_lazy("The option as shown."), True),
            _c(
                "item_codes",
                "选定事项编码",
                LIST,
                gettext_lazy(
                    "Codes of the items this answer selects, separated by commas; an item no answer "
                    "selects always applies."
                ),
            ),
        ),
    ),
)
SHEET_BY_NAME = {s.name: s for s in SHEETS}
SHEET_BY_TITLE = {s.title: s for s in SHEETS}


def sheet_position(name: str) -> int:
    """The order of a sheet (by its name or its title) in the workbook; -1 for any other."""
    for index, sheet in enumerate(SHEETS):
        if name in (sheet.name, sheet.title):
            return index
    return -1
