# Long Chinese legal texts read better unbroken.
# ruff: noqa: E501
"""The demo center's two bundles (并联审批主题), in the bundle spec format of
`onewindow.catalog.services.catalog_import_specs`.

企业设立登记 reproduces the 2009-era "四证联办" of the seeds (工商营业执照, 组织机构代码证, 国税 and 地税
税务登记: four certificates in 2 working days instead of 15). 工业建设项目审批 reproduces the industrial
construction bundle (22 departments, legal 134 working days compressed to 33) in the five phases
立项 → 用地 → 规划 → 施工 → 验收.
"""

from __future__ import annotations

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

_PHASE_ITEMS: list[tuple[str, str]] = [
    ("立项", "FG-002"),
    ("立项", "FG-003"),
    ("立项", "ZRZY-001"),
    ("立项", "STHJ-002"),
    ("立项", "SL-001"),
    ("用地", "ZRZY-002"),
    ("用地", "ZRZY-005"),
    ("规划", "ZRZY-003"),
    ("规划", "ZJ-002"),
    ("规划", "RF-001"),
    ("规划", "QX-001"),
    ("施工", "ZJ-001"),
    ("施工", "SL-002"),
    ("施工", "JT-006"),
    ("验收", "ZJ-003"),
    ("验收", "QX-002"),
    ("验收", "ZRZY-004"),
    ("验收", "RF-002"),
    ("验收", "ZJ-004"),
]

INDUSTRIAL_CONSTRUCTION: dict = {
    "code": "GYJS",
    "name": "工业建设项目审批",
    "description": (
        "一窗受理、服务前移、资料共享、同步审批、限时办结:发改、自然资源和规划、住建、生态环境、人防、气象、"
        "水务、交通等部门按立项、用地、规划、施工、验收五个阶段并联审批,同一阶段的事项同步办理,"
        "上一阶段办结后进入下一阶段。法定时限合计134个工作日,承诺33个工作日办结。"
        "重点项目(外资150万美元以上、内资1000万元人民币以上)可走绿色通道,专人全程代办。"
    ),
    "lead_department_code": "FG",
    "promised_limit": 33,
    "phases": [
        {"name": "立项", "promised_limit": 6},
        {"name": "用地", "promised_limit": 7},
        {"name": "规划", "promised_limit": 8},
        {"name": "施工", "promised_limit": 5},
        {"name": "验收", "promised_limit": 7},
    ],
    "items": [{"item_code": code, "phase": phase} for phase, code in _PHASE_ITEMS],
    "fields": [
        {
            "key": "project_name",
            "label": "项目名称",
            "field_type": "text",
            "required": True,
            "choices": "",
            "mappings": [{"item_code": code, "target": "project_name"} for _, code in _PHASE_ITEMS],
        },
        {
            "key": "project_code",
            "label": "投资项目统一代码",
            "field_type": "text",
            "required": True,
            "choices": "",
            "mappings": [{"item_code": code, "target": "project_code"} for _, code in _PHASE_ITEMS],
        },
        {
            "key": "builder_name",
            "label": "建设单位",
            "field_type": "text",
            "required": True,
            "choices": "",
            "mappings": [{"item_code": code, "target": "applicant_name"} for _, code in _PHASE_ITEMS],
        },
        {
            "key": "builder_credit_code",
            "label": "建设单位统一社会信用代码",
            "field_type": "text",
            "required": True,
            "choices": "",
            "mappings": [{"item_code": code, "target": "applicant_credit_code"} for _, code in _PHASE_ITEMS],
        },
        {
            "key": "legal_representative",
            "label": "法定代表人",
            "field_type": "text",
            "required": True,
            "choices": "",
            "mappings": [
                {"item_code": "FG-002", "target": "legal_representative"},
                {"item_code": "ZRZY-005", "target": "legal_representative"},
                {"item_code": "ZJ-001", "target": "legal_representative"},
            ],
        },
        {
            "key": "contact_person",
            "label": "项目联系人",
            "field_type": "text",
            "required": True,
            "choices": "",
            "mappings": [{"item_code": code, "target": "contact_person"} for _, code in _PHASE_ITEMS],
        },
        {
            "key": "contact_phone",
            "label": "联系电话",
            "field_type": "phone",
            "required": True,
            "choices": "",
            "mappings": [{"item_code": code, "target": "contact_phone"} for _, code in _PHASE_ITEMS],
        },
        {
            "key": "site",
            "label": "建设地点",
            "field_type": "text",
            "required": True,
            "choices": "",
            "mappings": [{"item_code": code, "target": "site_location"} for _, code in _PHASE_ITEMS],
        },
        {
            "key": "land_area",
            "label": "用地面积(平方米)",
            "field_type": "number",
            "required": True,
            "choices": "",
            "mappings": [
                {"item_code": "ZRZY-001", "target": "land_area"},
                {"item_code": "ZRZY-002", "target": "land_area"},
                {"item_code": "ZRZY-005", "target": "parcel_area"},
                {"item_code": "SL-001", "target": "occupied_area"},
            ],
        },
        {
            "key": "floor_area",
            "label": "总建筑面积(平方米)",
            "field_type": "number",
            "required": True,
            "choices": "",
            "mappings": [
                {"item_code": "ZRZY-003", "target": "floor_area"},
                {"item_code": "ZJ-001", "target": "floor_area"},
                {"item_code": "ZJ-002", "target": "floor_area"},
                {"item_code": "RF-001", "target": "civil_building_area"},
                {"item_code": "ZJ-004", "target": "floor_area"},
            ],
        },
        {
            "key": "total_investment",
            "label": "总投资(万元)",
            "field_type": "number",
            "required": True,
            "choices": "",
            "mappings": [
                {"item_code": "FG-002", "target": "total_investment"},
                {"item_code": "FG-003", "target": "total_investment"},
                {"item_code": "STHJ-002", "target": "total_investment"},
                {"item_code": "ZJ-001", "target": "contract_price"},
            ],
        },
        {
            "key": "industry",
            "label": "行业类别",
            "field_type": "choice",
            "required": True,
            "choices": "装备制造|电子信息|新材料|生物医药|食品加工|纺织服装|其他制造业",
            "mappings": [
                {"item_code": "FG-002", "target": "industry"},
                {"item_code": "FG-003", "target": "industry"},
                {"item_code": "STHJ-002", "target": "industry_category"},
            ],
        },
        {
            "key": "planned_start",
            "label": "计划开工日期",
            "field_type": "date",
            "required": False,
            "choices": "",
            "mappings": [
                {"item_code": "FG-002", "target": "planned_start_date"},
                {"item_code": "ZJ-001", "target": "planned_start_date"},
            ],
        },
    ],
    "materials": [
        {
            "name": "工业建设项目并联审批申请表(一表制)",
            "requirement": "required",
            "form": "original",
            "copies": 1,
            "item_codes": [code for _, code in _PHASE_ITEMS],
        },
        {
            "name": "建设单位营业执照",
            "requirement": "required",
            "form": "copy",
            "copies": 1,
            "item_codes": ["FG-002", "ZRZY-001", "ZRZY-005", "ZJ-001"],
        },
        {
            "name": "项目备案信息表",
            "requirement": "required",
            "form": "electronic",
            "copies": 1,
            "item_codes": ["FG-002"],
        },
        {
            "name": "项目节能报告",
            "requirement": "required",
            "form": "original",
            "copies": 1,
            "item_codes": ["FG-003"],
        },
        {
            "name": "建设项目用地预审与选址申请报告及勘测定界图",
            "requirement": "required",
            "form": "original",
            "copies": 1,
            "item_codes": ["ZRZY-001"],
        },
        {
            "name": "环境影响报告表",
            "requirement": "required",
            "form": "original",
            "copies": 2,
            "item_codes": ["STHJ-002"],
        },
        {
            "name": "水土保持方案报告书(报告表)",
            "requirement": "required",
            "form": "original",
            "copies": 1,
            "item_codes": ["SL-001"],
        },
        {
            "name": "国有建设用地使用权出让合同及价款缴纳凭证",
            "requirement": "required",
            "form": "copy",
            "copies": 1,
            "item_codes": ["ZRZY-002", "ZRZY-005"],
        },
        {
            "name": "不动产权籍调查成果",
            "requirement": "required",
            "form": "original",
            "copies": 1,
            "item_codes": ["ZRZY-005"],
        },
        {
            "name": "建设工程设计方案(总平面图、建筑单体方案)",
            "requirement": "required",
            "form": "original",
            "copies": 2,
            "item_codes": ["ZRZY-003", "RF-001", "RF-002"],
        },
        {
            "name": "施工图设计文件(含消防、人防、防雷专篇)",
            "requirement": "required",
            "form": "electronic",
            "copies": 1,
            "item_codes": ["ZJ-002", "RF-001", "QX-001", "ZJ-001"],
        },
        {
            "name": "施工合同及施工图设计文件审查合格书",
            "requirement": "required",
            "form": "copy",
            "copies": 1,
            "item_codes": ["ZJ-001"],
        },
        {
            "name": "排水户内部排水管网及检测井图纸、排水水质检测报告",
            "requirement": "required",
            "form": "original",
            "copies": 1,
            "item_codes": ["SL-002"],
        },
        {
            "name": "涉路工程设计图及施工方案",
            "requirement": "conditional",
            "form": "original",
            "copies": 1,
            "item_codes": ["JT-006"],
        },
        {
            "name": "工程竣工验收报告",
            "requirement": "required",
            "form": "original",
            "copies": 1,
            "item_codes": ["ZJ-003", "RF-002", "ZJ-004"],
        },
        {
            "name": "建设工程竣工图及竣工测量成果报告",
            "requirement": "required",
            "form": "electronic",
            "copies": 1,
            "item_codes": ["ZJ-003", "ZRZY-004", "QX-002", "RF-002"],
        },
        {
            "name": "防雷装置检测报告",
            "requirement": "required",
            "form": "original",
            "copies": 1,
            "item_codes": ["QX-002"],
        },
    ],
}

BUNDLES: list[dict] = [ENTERPRISE_SETUP, INDUSTRIAL_CONSTRUCTION]
