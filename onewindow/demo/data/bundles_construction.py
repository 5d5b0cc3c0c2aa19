"""The demo center's construction bundles, in the bundle spec format of
`onewindow.catalog.services.catalog_import_specs`.

工业建设项目审批 keeps the seeds' promise (22 departments, legal 134 working days compressed to 33) in
the four national phases of 国办发〔2019〕11号: 立项用地规划许可 → 工程建设许可 → 施工许可 → 竣工验收.
The items of a phase run in parallel; the last phase is the joint completion acceptance (联合验收:
planning and land, fire, civil air defence, completion filing).

工业建设项目审批(带方案出让) is the same bundle for land transferred together with its design
scheme: 工程建设许可 and 施工许可 run together (the 施工许可 phase is marked `merge_with_previous`).
The catalog learns that phase key separately, so the variant is its own constant and
`onewindow.demo.specs.bundle_specs` includes it only when the catalog supports the key.
"""

from __future__ import annotations

import copy

_PHASES: list[dict] = [
    {"name": "立项用地规划许可", "promised_limit": 8},
    {"name": "工程建设许可", "promised_limit": 10},
    {"name": "施工许可", "promised_limit": 7},
    {"name": "竣工验收", "promised_limit": 8},
]

# (phase, item code): 2–4 items of different departments per phase.
_PHASE_ITEMS: list[tuple[str, str]] = [
    ("立项用地规划许可", "FG-002"),  # 企业投资项目备案
    ("立项用地规划许可", "ZRZY-002"),  # 建设用地规划许可证核发
    ("立项用地规划许可", "STHJ-002"),  # 建设项目环境影响报告表审批
    ("立项用地规划许可", "SL-001"),  # 生产建设项目水土保持方案审批
    ("工程建设许可", "ZRZY-003"),  # 建设工程规划许可证核发
    ("工程建设许可", "ZJ-002"),  # 特殊建设工程消防设计审查
    ("工程建设许可", "RF-001"),  # 结合民用建筑修建防空地下室审批
    ("施工许可", "ZJ-001"),  # 建筑工程施工许可证核发
    ("施工许可", "QX-001"),  # 防雷装置设计审核
    ("施工许可", "JT-006"),  # 涉路施工许可
    ("竣工验收", "ZRZY-004"),  # 建设工程规划条件核实和土地核验
    ("竣工验收", "ZJ-003"),  # 特殊建设工程消防验收
    ("竣工验收", "RF-002"),  # 人防工程竣工验收备案
    ("竣工验收", "ZJ-004"),  # 房屋建筑和市政基础设施工程竣工验收备案
]
_ALL = [code for _, code in _PHASE_ITEMS]


def _field(key: str, label: str, field_type: str, targets: dict[str, str], *, choices: str = "") -> dict:
    return {
        "key": key,
        "label": label,
        "field_type": field_type,
        "required": True,
        "choices": choices,
        "mappings": [{"item_code": code, "target": target} for code, target in targets.items()],
    }


def _material(
    name: str,
    item_codes: list[str],
    *,
    form: str = "original",
    copies: int = 1,
    requirement: str = "required",
) -> dict:
    return {
        "name": name,
        "requirement": requirement,
        "form": form,
        "copies": copies,
        "item_codes": item_codes,
    }


INDUSTRIAL_CONSTRUCTION: dict = {
    "code": "GYJS",
    "name": "工业建设项目审批",
    "description": (
        "一窗受理、服务前移、资料共享、同步审批、限时办结:按照《国务院办公厅关于全面开展工程建设项目审批制度改革的实施意见》"
        "(国办发〔2019〕11号),发改、自然资源和规划、住建、生态环境、人防、气象、水务、交通等部门按立项用地规划许可、"
        "工程建设许可、施工许可、竣工验收四个阶段并联审批,同一阶段的事项同步办理,上一阶段办结后进入下一阶段;"
        "竣工验收阶段实行规划土地、消防、人防等联合验收和竣工验收备案。法定时限合计134个工作日,承诺33个工作日办结。"
        "重点项目(外资150万美元以上、内资1000万元人民币以上)可走绿色通道,专人全程代办。"
    ),
    "lead_department_code": "FG",
    "promised_limit": 33,
    "phases": _PHASES,
    "items": [{"item_code": code, "phase": phase} for phase, code in _PHASE_ITEMS],
    "fields": [
        _field("project_name", "项目名称", "text", dict.fromkeys(_ALL, "project_name")),
        _field("project_code", "投资项目统一代码", "text", dict.fromkeys(_ALL, "project_code")),
        _field("builder_name", "建设单位", "text", dict.fromkeys(_ALL, "applicant_name")),
        _field(
            "builder_credit_code",
            "建设单位统一社会信用代码",
            "text",
            dict.fromkeys(_ALL, "applicant_credit_code"),
        ),
        _field(
            "legal_representative",
            "法定代表人",
            "text",
            {
                "FG-002": "legal_representative",
                "ZRZY-002": "legal_representative",
                "ZJ-001": "legal_representative",
            },
        ),
        _field("contact_person", "项目联系人", "text", dict.fromkeys(_ALL, "contact_person")),
        _field("contact_phone", "联系电话", "phone", dict.fromkeys(_ALL, "contact_phone")),
        _field("site", "建设地点", "text", dict.fromkeys(_ALL, "site_location")),
        _field(
            "land_area",
            "用地面积(平方米)",
            "number",
            {"ZRZY-002": "land_area", "SL-001": "occupied_area", "ZRZY-004": "land_area"},
        ),
        _field(
            "floor_area",
            "总建筑面积(平方米)",
            "number",
            {
                "ZRZY-003": "floor_area",
                "ZJ-002": "floor_area",
                "RF-001": "civil_building_area",
                "ZJ-001": "floor_area",
                "ZJ-004": "floor_area",
            },
        ),
        _field(
            "total_investment",
            "总投资(万元)",
            "number",
            {"FG-002": "total_investment", "STHJ-002": "total_investment", "ZJ-001": "contract_price"},
        ),
        _field(
            "industry",
            "行业类别",
            "choice",
            {"FG-002": "industry", "STHJ-002": "industry_category"},
            choices="装备制造|电子信息|新材料|生物医药|食品加工|纺织服装|其他制造业",
        ),
        {
            **_field(
                "planned_start",
                "计划开工日期",
                "date",
                {"FG-002": "planned_start_date", "ZJ-001": "planned_start_date"},
            ),
            "required": False,
        },
    ],
    "materials": [
        _material("工业建设项目并联审批申请表(一表制)", _ALL),
        _material("建设单位营业执照", ["FG-002", "ZRZY-002", "ZJ-001"], form="copy"),
        _material("项目备案信息表", ["FG-002"], form="electronic"),
        _material(
            "国有建设用地使用权出让合同及价款缴纳凭证", ["ZRZY-002", "ZJ-001", "ZRZY-004"], form="copy"
        ),
        _material("环境影响报告表", ["STHJ-002"], copies=2),
        _material("水土保持方案报告书(报告表)", ["SL-001"]),
        _material("建设工程设计方案(总平面图、建筑单体方案)", ["ZRZY-003", "ZJ-002", "RF-001"], copies=2),
        _material(
            "施工图设计文件(含消防、人防、防雷专篇)",
            ["ZJ-002", "RF-001", "QX-001", "ZJ-001"],
            form="electronic",
        ),
        _material("施工合同及施工图设计文件审查合格书", ["ZJ-001"], form="copy"),
        _material("涉路工程设计图及施工方案", ["JT-006"], requirement="conditional"),
        _material("工程竣工验收报告", ["ZJ-003", "RF-002", "ZJ-004"]),
        _material(
            "建设工程竣工图及竣工测量成果报告(多测合一)",
            ["ZRZY-004", "ZJ-003", "RF-002", "ZJ-004"],
            form="electronic",
        ),
        _material("人防工程竣工资料", ["RF-002"], requirement="conditional"),
    ],
}


def _with_scheme() -> dict:
    bundle = copy.deepcopy(INDUSTRIAL_CONSTRUCTION)
    bundle["code"] = "GYJS-FA"
    bundle["name"] = "工业建设项目审批(带方案出让)"
    bundle["description"] = (
        "以“带设计方案”方式出让国有建设用地的工业项目:建设单位签订出让合同时设计方案已经审定,"
        "工程建设许可和施工许可两个阶段合并办理,建设工程规划许可证与施工许可证同步核发,实现“拿地即开工”。"
        "其余同工业建设项目审批:四个阶段并联审批,竣工联合验收,法定时限合计134个工作日,承诺33个工作日办结。"
    )
    bundle["phases"] = [
        {**phase, "merge_with_previous": phase["name"] == "施工许可"} for phase in bundle["phases"]
    ]
    return bundle


# Loaded only where `BundlePhase` has the field `merge_with_previous` (see the module docstring).
INDUSTRIAL_CONSTRUCTION_WITH_SCHEME: dict = _with_scheme()
