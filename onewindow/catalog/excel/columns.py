"""The workbook's sheets and columns: their keys, value types, whether required, and their
meaning (written to the 说明 sheet). Export and import both follow this one description."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

README_SHEET = "说明"

TEXT, INT, OPT_INT, BOOL, DATE, LIST = "text", "int", "opt_int", "bool", "date", "list"
TYPE_LABELS: dict[str, Promise] = {
    TEXT: gettext_lazy("text"),
    INT: gettext_lazy("whole number"),
    OPT_INT: gettext_lazy("whole number or empty"),
    BOOL: gettext_lazy("TRUE or FALSE"),
    DATE: gettext_lazy("date (YYYY-MM-DD) or empty"),
    LIST: gettext_lazy("codes separated by commas"),
}


@dataclass(frozen=True)
class Column:
    key: str
    kind: str
    meaning: Promise
    required: bool = False


@dataclass(frozen=True)
class SheetSpec:
    name: str
    meaning: Promise
    columns: tuple[Column, ...]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


def _c(key: str, kind: str, meaning: Promise, required: bool = False) -> Column:
    return Column(key, kind, meaning, required)


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "items",
        gettext_lazy("Service items: one row per item (its published version)."),
        (
            _c(
                "code",
                TEXT,
                gettext_lazy("Item code, unique within the center (letters, digits, . - _)."),
                True,
            ),
            _c("name", TEXT, gettext_lazy("Item name (事项名称)."), True),
            _c(
                "kind",
                TEXT,
                gettext_lazy(
                    "Kind: license, public_service, confirmation, registration, filing, other_power."
                ),
            ),
            _c("department_code", TEXT, gettext_lazy("Code of the responsible department (实施部门)."), True),
            _c(
                "window_code",
                TEXT,
                gettext_lazy("Code of the accepting window; empty: the department's windows."),
            ),
            _c(
                "handling_type",
                TEXT,
                gettext_lazy("Handling type: instant (即办件), promised (承诺件), reported, joint."),
                True,
            ),
            _c("legal_limit", INT, gettext_lazy("Legal limit in working days (法定时限)."), True),
            _c(
                "promised_limit",
                INT,
                gettext_lazy("Promised limit in working days (承诺时限); 0 for instant items."),
                True,
            ),
            _c("legal_basis", TEXT, gettext_lazy("Legal basis (法定依据).")),
            _c("conditions", TEXT, gettext_lazy("Application conditions (申请条件).")),
            _c("procedure", TEXT, gettext_lazy("Procedure (办理程序).")),
            _c("fees", TEXT, gettext_lazy("Fees (收费标准); empty or 不收费 when free.")),
            _c("fee_basis", TEXT, gettext_lazy("Fee basis (收费依据).")),
            _c("contact", TEXT, gettext_lazy("Contact (咨询电话).")),
            _c("online_allowed", BOOL, gettext_lazy("Online application allowed.")),
            _c("appointment_allowed", BOOL, gettext_lazy("Appointment allowed.")),
            _c(
                "visits_required",
                INT,
                gettext_lazy("On-site visits required, 0 to 5 (0 = 零跑腿, 1 = 最多跑一次)."),
            ),
            _c("green_channel_eligible", BOOL, gettext_lazy("Green channel eligible (绿色通道).")),
            _c(
                "deemed_approval_days",
                OPT_INT,
                gettext_lazy("Deemed approval after this many overdue working days; empty: none."),
            ),
            _c("handled_at_center", BOOL, gettext_lazy("Handled at the center (进驻中心).")),
            _c("decided_at_window", BOOL, gettext_lazy("Decided at the window (窗口授权).")),
            _c("valid_from", DATE, gettext_lazy("Valid from.")),
            _c("valid_to", DATE, gettext_lazy("Valid to.")),
            _c("themes", LIST, gettext_lazy("Theme codes, separated by commas.")),
        ),
    ),
    SheetSpec(
        "materials",
        gettext_lazy("Materials (申报材料): one row per material, in order, under the item's code."),
        (
            _c("item_code", TEXT, gettext_lazy("Code of the item (from the items sheet)."), True),
            _c("name", TEXT, gettext_lazy("Material name, unique within the item."), True),
            _c("requirement", TEXT, gettext_lazy("required or conditional.")),
            _c("condition", TEXT, gettext_lazy("When a conditional material is required.")),
            _c("form", TEXT, gettext_lazy("original, copy, original_and_copy or electronic.")),
            _c("copies", INT, gettext_lazy("Number of copies, at least 1.")),
            _c(
                "shared_result_item_code",
                TEXT,
                gettext_lazy("Code of an item whose result can stand in (资料共享)."),
            ),
            _c("note", TEXT, gettext_lazy("Note.")),
        ),
    ),
    SheetSpec(
        "steps",
        gettext_lazy("Process template (办理流程): one row per step, in order, under the item's code."),
        (
            _c("item_code", TEXT, gettext_lazy("Code of the item (from the items sheet)."), True),
            _c("name", TEXT, gettext_lazy("Step name, e.g. 受理, 审查, 决定."), True),
            _c(
                "kind", TEXT, gettext_lazy("accept, review, approve, decide, certify, report or other."), True
            ),
            _c("post_code", TEXT, gettext_lazy("Code of the post that handles the step (岗位)."), True),
            _c("limit_days", INT, gettext_lazy("Step limit in working days."), True),
            _c("on_site", BOOL, gettext_lazy("Done at the center (TRUE) or back in the department (FALSE).")),
        ),
    ),
    SheetSpec(
        "themes",
        gettext_lazy("Browsing themes (主题)."),
        (
            _c("code", TEXT, gettext_lazy("Theme code."), True),
            _c("name", TEXT, gettext_lazy("Theme name."), True),
            _c("audience", TEXT, gettext_lazy("person, enterprise or both.")),
            _c("position", INT, gettext_lazy("Display order.")),
        ),
    ),
    SheetSpec(
        "bundles",
        gettext_lazy("Bundles (一件事 / 并联审批主题): one row per bundle."),
        (
            _c("code", TEXT, gettext_lazy("Bundle code, unique within the center."), True),
            _c("name", TEXT, gettext_lazy("Bundle name."), True),
            _c("description", TEXT, gettext_lazy("Description.")),
            _c("lead_department_code", TEXT, gettext_lazy("Code of the lead department (牵头部门)."), True),
            _c("promised_limit", INT, gettext_lazy("The bundle's promised limit in working days."), True),
            _c("active", BOOL, gettext_lazy("Active (offered to applicants).")),
        ),
    ),
    SheetSpec(
        "bundle_phases",
        gettext_lazy("Phases of a bundle, in order (e.g. 立项, 用地, 规划, 施工, 验收)."),
        (
            _c("bundle_code", TEXT, gettext_lazy("Code of the bundle."), True),
            _c("name", TEXT, gettext_lazy("Phase name, unique within the bundle."), True),
            _c(
                "promised_limit",
                OPT_INT,
                gettext_lazy("The phase's promised limit in working days; may be empty."),
            ),
        ),
    ),
    SheetSpec(
        "bundle_items",
        gettext_lazy("The items of a bundle, in order."),
        (
            _c("bundle_code", TEXT, gettext_lazy("Code of the bundle."), True),
            _c("item_code", TEXT, gettext_lazy("Code of the item."), True),
            _c("phase", TEXT, gettext_lazy("Name of the phase the item belongs to; empty: none.")),
        ),
    ),
    SheetSpec(
        "bundle_fields",
        gettext_lazy("Fields of the bundle's single form (一表制), in order."),
        (
            _c("bundle_code", TEXT, gettext_lazy("Code of the bundle."), True),
            _c(
                "key",
                TEXT,
                gettext_lazy("Field key (letters, digits, - and _), unique within the bundle."),
                True,
            ),
            _c("label", TEXT, gettext_lazy("Field label shown to the applicant."), True),
            _c("field_type", TEXT, gettext_lazy("text, number, date, choice, id_number or phone.")),
            _c("required", BOOL, gettext_lazy("Required.")),
            _c("choices", TEXT, gettext_lazy("For a choice field: the choices separated by |.")),
        ),
    ),
    SheetSpec(
        "bundle_field_mappings",
        gettext_lazy("Where a single-form field lands in each item's application."),
        (
            _c("bundle_code", TEXT, gettext_lazy("Code of the bundle."), True),
            _c("field_key", TEXT, gettext_lazy("Key of the field (from bundle_fields)."), True),
            _c("item_code", TEXT, gettext_lazy("Code of an item of the bundle."), True),
            _c("target", TEXT, gettext_lazy("Name of the field in that item's application."), True),
        ),
    ),
    SheetSpec(
        "bundle_materials",
        gettext_lazy("The bundle's de-duplicated material list."),
        (
            _c("bundle_code", TEXT, gettext_lazy("Code of the bundle."), True),
            _c("name", TEXT, gettext_lazy("Material name, unique within the bundle."), True),
            _c("requirement", TEXT, gettext_lazy("required or conditional.")),
            _c("form", TEXT, gettext_lazy("original, copy, original_and_copy or electronic.")),
            _c("copies", INT, gettext_lazy("Number of copies, at least 1.")),
            _c(
                "item_codes",
                LIST,
                gettext_lazy("Codes of the items this material serves, separated by commas."),
                True,
            ),
        ),
    ),
)
SHEET_BY_NAME = {s.name: s for s in SHEETS}
