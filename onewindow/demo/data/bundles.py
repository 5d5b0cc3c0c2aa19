# Long Chinese legal texts read better unbroken.
# ruff: noqa: E501
"""The demo center's bundles (并联审批主题, 一件事一次办), in the bundle spec format of
`onewindow.catalog.services.catalog_import_specs`.

企业设立登记 reproduces the 2009-era "四证联办" of the seeds (工商营业执照, 组织机构代码证, 国税 and 地税
税务登记: four certificates in 2 working days instead of 15). 企业开办一件事 is today's version: 营业执照,
公章刻制, 发票领用 and 单位社会保险登记 in 1 working day, with situation questions (情形引导) choosing
the items beyond the licence. The construction bundles are in `bundles_construction`.
"""

from __future__ import annotations

from onewindow.demo.data.bundles_construction import (
    INDUSTRIAL_CONSTRUCTION,
    INDUSTRIAL_CONSTRUCTION_WITH_SCHEME,
)

_ENTERPRISE_ITEMS = ["SCJG-001", "ZJJ-001", "SW-001", "SW-002"]

ENTERPRISE_SETUP: dict = {
    "code": "QYSL",
    "name": "企业设立登记并联审批(四证联办)",
    "description": (
        "一个窗口统一受理申请,一张表格一套资料,工商、质监、国税、地税同步审批,"
        "2个工作日内一次性发放营业执照、组织机构代码证和国税、地税税务登记证(原承诺15天)。"
        "并联审批窗口免收企业注册登记相关工本费。"
    ),
    "lead_department_code": "SCJG",
    "promised_limit": 2,
    "phases": [],
    "items": [{"item_code": code, "phase": None} for code in _ENTERPRISE_ITEMS],
    "fields": [
        {
            "key": "enterprise_name",
            "label": "企业名称",
            "field_type": "text",
            "required": True,
            "choices": "",
            "mappings": [
                {"item_code": "SCJG-001", "target": "company_name"},
                {"item_code": "ZJJ-001", "target": "organisation_name"},
                {"item_code": "SW-001", "target": "taxpayer_name"},
                {"item_code": "SW-002", "target": "taxpayer_name"},
            ],
        },
        {
            "key": "enterprise_type",
            "label": "企业类型",
            "field_type": "choice",
            "required": True,
            "choices": "有限责任公司|股份有限公司|个人独资企业|合伙企业",
            "mappings": [
                {"item_code": "SCJG-001", "target": "company_type"},
                {"item_code": "ZJJ-001", "target": "organisation_type"},
                {"item_code": "SW-001", "target": "registration_type"},
                {"item_code": "SW-002", "target": "registration_type"},
            ],
        },
        {
            "key": "legal_representative",
            "label": "法定代表人",
            "field_type": "text",
            "required": True,
            "choices": "",
            "mappings": [
                {"item_code": "SCJG-001", "target": "legal_representative"},
                {"item_code": "ZJJ-001", "target": "legal_representative"},
                {"item_code": "SW-001", "target": "legal_representative"},
                {"item_code": "SW-002", "target": "legal_representative"},
            ],
        },
        {
            "key": "legal_representative_id",
            "label": "法定代表人身份证号码",
            "field_type": "id_number",
            "required": True,
            "choices": "",
            "mappings": [
                {"item_code": "SCJG-001", "target": "legal_representative_id_number"},
                {"item_code": "ZJJ-001", "target": "legal_representative_id_number"},
                {"item_code": "SW-001", "target": "legal_representative_id_number"},
                {"item_code": "SW-002", "target": "legal_representative_id_number"},
            ],
        },
        {
            "key": "registered_capital",
            "label": "注册资本(万元)",
            "field_type": "number",
            "required": True,
            "choices": "",
            "mappings": [
                {"item_code": "SCJG-001", "target": "registered_capital"},
                {"item_code": "ZJJ-001", "target": "registered_capital"},
                {"item_code": "SW-001", "target": "registered_capital"},
                {"item_code": "SW-002", "target": "registered_capital"},
            ],
        },
        {
            "key": "address",
            "label": "住所",
            "field_type": "text",
            "required": True,
            "choices": "",
            "mappings": [
                {"item_code": "SCJG-001", "target": "domicile"},
                {"item_code": "ZJJ-001", "target": "address"},
                {"item_code": "SW-001", "target": "registered_address"},
                {"item_code": "SW-002", "target": "registered_address"},
            ],
        },
        {
            "key": "business_scope",
            "label": "经营范围",
            "field_type": "text",
            "required": True,
            "choices": "",
            "mappings": [
                {"item_code": "SCJG-001", "target": "business_scope"},
                {"item_code": "ZJJ-001", "target": "business_scope"},
                {"item_code": "SW-001", "target": "business_scope"},
                {"item_code": "SW-002", "target": "business_scope"},
            ],
        },
        {
            "key": "industry",
            "label": "所属行业",
            "field_type": "choice",
            "required": True,
            "choices": "制造业|批发和零售业|住宿和餐饮业|信息传输、软件和信息技术服务业|租赁和商务服务业|其他",
            "mappings": [
                {"item_code": "ZJJ-001", "target": "industry_code"},
                {"item_code": "SW-001", "target": "industry"},
                {"item_code": "SW-002", "target": "industry"},
            ],
        },
        {
            "key": "financial_officer",
            "label": "财务负责人",
            "field_type": "text",
            "required": True,
            "choices": "",
            "mappings": [
                {"item_code": "SW-001", "target": "financial_officer"},
                {"item_code": "SW-002", "target": "financial_officer"},
            ],
        },
        {
            "key": "contact_phone",
            "label": "联系电话",
            "field_type": "phone",
            "required": True,
            "choices": "",
            "mappings": [
                {"item_code": "SCJG-001", "target": "contact_phone"},
                {"item_code": "ZJJ-001", "target": "contact_phone"},
                {"item_code": "SW-001", "target": "contact_phone"},
                {"item_code": "SW-002", "target": "contact_phone"},
            ],
        },
        {
            "key": "employees",
            "label": "从业人数",
            "field_type": "number",
            "required": False,
            "choices": "",
            "mappings": [
                {"item_code": "ZJJ-001", "target": "employees"},
                {"item_code": "SW-002", "target": "employees"},
            ],
        },
    ],
    "materials": [
        {
            "name": "企业设立登记并联审批申请表(一表制)",
            "requirement": "required",
            "form": "original",
            "copies": 1,
            "item_codes": _ENTERPRISE_ITEMS,
        },
        {
            "name": "公司章程",
            "requirement": "required",
            "form": "original",
            "copies": 2,
            "item_codes": ["SCJG-001", "SW-001"],
        },
        {
            "name": "股东的主体资格证明或者自然人身份证件复印件",
            "requirement": "required",
            "form": "copy",
            "copies": 1,
            "item_codes": ["SCJG-001"],
        },
        {
            "name": "法定代表人身份证件",
            "requirement": "required",
            "form": "original_and_copy",
            "copies": 1,
            "item_codes": _ENTERPRISE_ITEMS,
        },
        {
            "name": "法定代表人、董事、监事和经理的任职文件",
            "requirement": "required",
            "form": "copy",
            "copies": 1,
            "item_codes": ["SCJG-001"],
        },
        {
            "name": "住所使用证明(房屋产权证明或者租赁合同)",
            "requirement": "required",
            "form": "copy",
            "copies": 1,
            "item_codes": ["SCJG-001", "SW-001"],
        },
        {
            "name": "财务负责人、办税人员身份证件",
            "requirement": "required",
            "form": "copy",
            "copies": 1,
            "item_codes": ["SW-002"],
        },
        {
            "name": "指定代表或者共同委托代理人授权委托书",
            "requirement": "conditional",
            "form": "original",
            "copies": 1,
            "item_codes": _ENTERPRISE_ITEMS,
        },
        {
            "name": "前置审批文件或者许可证件",
            "requirement": "conditional",
            "form": "copy",
            "copies": 1,
            "item_codes": ["SCJG-001"],
        },
    ],
}

_SETUP_ITEMS = ["SCJG-001", "GA-011", "SW-005", "RS-003"]


def _setup_field(
    key: str,
    label: str,
    field_type: str,
    targets: dict[str, str],
    *,
    required: bool = True,
    choices: str = "",
) -> dict:
    return {
        "key": key,
        "label": label,
        "field_type": field_type,
        "required": required,
        "choices": choices,
        "mappings": [{"item_code": code, "target": target} for code, target in targets.items()],
    }


def _yes_no(key: str, text: str, item_code: str) -> dict:
    return {
        "key": key,
        "text": text,
        "options": [
            {"value": "yes", "label": "是", "item_codes": [item_code]},
            {"value": "no", "label": "否", "item_codes": []},
        ],
    }


ENTERPRISE_OPENING: dict = {
    "code": "QYKB",
    "name": "企业开办一件事",
    "description": (
        "一窗受理、一表填报、一套材料、并联办理、一次领取:营业执照、公章刻制、发票领用、单位社会保险登记,"
        "市场监管、公安、税务、人社同步办理,1个工作日内办结。营业执照必办;是否刻制公章、申领发票、"
        "招用员工由申请人按情形选择。新开办企业首套印章免费刻制,税务Ukey免费发放。"
    ),
    "lead_department_code": "SCJG",
    "promised_limit": 1,
    "phases": [],
    "items": [{"item_code": code, "phase": None} for code in _SETUP_ITEMS],
    "fields": [
        _setup_field(
            "enterprise_name",
            "企业名称",
            "text",
            {
                "SCJG-001": "company_name",
                "GA-011": "unit_name",
                "SW-005": "taxpayer_name",
                "RS-003": "unit_name",
            },
        ),
        _setup_field(
            "enterprise_type",
            "企业类型",
            "choice",
            {"SCJG-001": "company_type", "RS-003": "unit_type"},
            choices="有限责任公司|股份有限公司|个人独资企业|合伙企业",
        ),
        _setup_field(
            "legal_representative",
            "法定代表人",
            "text",
            dict.fromkeys(_SETUP_ITEMS, "legal_representative"),
        ),
        _setup_field(
            "legal_representative_id",
            "法定代表人身份证号码",
            "id_number",
            dict.fromkeys(_SETUP_ITEMS, "legal_representative_id_number"),
        ),
        _setup_field("registered_capital", "注册资本(万元)", "number", {"SCJG-001": "registered_capital"}),
        _setup_field(
            "business_scope", "经营范围", "text", {"SCJG-001": "business_scope", "SW-005": "business_scope"}
        ),
        _setup_field(
            "address",
            "住所",
            "text",
            {
                "SCJG-001": "domicile",
                "GA-011": "unit_address",
                "SW-005": "registered_address",
                "RS-003": "unit_address",
            },
        ),
        _setup_field("contact_phone", "联系电话", "phone", dict.fromkeys(_SETUP_ITEMS, "contact_phone")),
        _setup_field(
            "seals",
            "刻制印章",
            "text",
            {"GA-011": "seal_types"},
            required=False,
        ),
        _setup_field(
            "invoice_type",
            "申领发票种类",
            "choice",
            {"SW-005": "invoice_type"},
            required=False,
            choices="增值税电子普通发票|增值税电子专用发票|增值税普通发票(纸质)|增值税专用发票(纸质)",
        ),
        _setup_field(
            "financial_officer", "财务负责人", "text", {"SW-005": "financial_officer"}, required=False
        ),
        _setup_field("employees", "招用员工人数", "number", {"RS-003": "insured_count"}, required=False),
    ],
    "materials": [
        {
            "name": "企业开办申请表(一表制)",
            "requirement": "required",
            "form": "original",
            "copies": 1,
            "item_codes": _SETUP_ITEMS,
        },
        {
            "name": "法定代表人身份证件",
            "requirement": "required",
            "form": "original_and_copy",
            "copies": 1,
            "item_codes": _SETUP_ITEMS,
        },
        {
            "name": "公司章程",
            "requirement": "required",
            "form": "original",
            "copies": 1,
            "item_codes": ["SCJG-001"],
        },
        {
            "name": "股东的主体资格证明或者自然人身份证件复印件",
            "requirement": "required",
            "form": "copy",
            "copies": 1,
            "item_codes": ["SCJG-001"],
        },
        {
            "name": "法定代表人、董事、监事和经理的任职文件",
            "requirement": "required",
            "form": "copy",
            "copies": 1,
            "item_codes": ["SCJG-001"],
        },
        {
            "name": "住所使用证明(房屋产权证明或者租赁合同)",
            "requirement": "required",
            "form": "copy",
            "copies": 1,
            "item_codes": ["SCJG-001"],
        },
        {
            "name": "经办人身份证件",
            "requirement": "required",
            "form": "original_and_copy",
            "copies": 1,
            "item_codes": ["GA-011", "SW-005"],
        },
        {
            "name": "财务负责人、办税人员身份证件",
            "requirement": "required",
            "form": "copy",
            "copies": 1,
            "item_codes": ["SW-005"],
        },
        {
            "name": "指定代表或者共同委托代理人授权委托书",
            "requirement": "conditional",
            "form": "original",
            "copies": 1,
            "item_codes": _SETUP_ITEMS,
        },
        {
            "name": "前置审批文件或者许可证件",
            "requirement": "conditional",
            "form": "copy",
            "copies": 1,
            "item_codes": ["SCJG-001"],
        },
    ],
    # 营业执照 is selected by no option: it always applies.
    "questions": [
        _yes_no("seal", "是否需要刻制公章？", "GA-011"),
        _yes_no("invoice", "是否需要申领发票？", "SW-005"),
        _yes_no("staff", "是否招用员工？", "RS-003"),
    ],
}

# Loaded as they are.
BUNDLES: list[dict] = [
    ENTERPRISE_SETUP,
    ENTERPRISE_OPENING,
    INDUSTRIAL_CONSTRUCTION,
    INDUSTRIAL_CONSTRUCTION_WITH_SCHEME,
]
