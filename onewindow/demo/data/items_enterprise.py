# Long Chinese legal texts read better unbroken.
# ruff: noqa: E501
"""Service items of the enterprise departments: market regulation (SCJG), taxation (SW), quality and
technical supervision (ZJJ, historical).

Item spec format of `onewindow.catalog.services.catalog_import_specs`; keys left out here take the
defaults of `onewindow.demo.specs` (e.g. fees 不收费, contact from the window, on_site true).
"""

from __future__ import annotations

import datetime as dt

ITEMS: list[dict] = [
    # --- 市场监督管理局 -----------------------------------------------------------------
    {
        "code": "SCJG-001",
        "name": "企业设立登记(营业执照核发)",
        "kind": "registration",
        "department_code": "SCJG",
        "window_code": "B01",
        "handling_type": "promised",
        "legal_limit": 3,
        "promised_limit": 1,
        "legal_basis": (
            "《中华人民共和国公司法》第二十九条、第三十三条;"
            "《中华人民共和国市场主体登记管理条例》第三条、第十九条;"
            "《中华人民共和国市场主体登记管理条例实施细则》。"
        ),
        "conditions": (
            "1. 有符合规定的企业名称(名称自主申报);\n"
            "2. 有符合公司章程规定的股东或者发起人,认缴出资符合法律规定;\n"
            "3. 有公司住所;\n"
            "4. 有符合《中华人民共和国公司法》要求的组织机构;\n"
            "5. 经营范围涉及法律、行政法规规定须经批准的项目的,已依法取得批准文件。"
        ),
        "online_allowed": True,
        "green_channel_eligible": True,
        "decided_at_window": True,
        "themes": ["business-setup"],
        "materials": [
            {"name": "公司登记(备案)申请书"},
            {"name": "公司章程"},
            {"name": "股东的主体资格证明或者自然人身份证件复印件", "form": "copy"},
            {"name": "法定代表人、董事、监事和经理的任职文件及身份证件复印件", "form": "copy"},
            {"name": "住所使用证明", "form": "copy", "note": "房屋产权证明或者租赁合同"},
            {
                "name": "指定代表或者共同委托代理人授权委托书",
                "requirement": "conditional",
                "condition": "委托他人办理的",
                "form": "original_and_copy",
                "note": "附受托人身份证件复印件",
            },
            {
                "name": "前置审批文件或者许可证件",
                "requirement": "conditional",
                "condition": "经营范围涉及法律、行政法规规定的前置许可项目的",
                "form": "copy",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "审查", "kind": "review", "post_code": "review", "limit_days": 0},
            {"name": "核准", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "发照", "kind": "certify", "post_code": "certify", "limit_days": 0},
        ],
    },
    {
        "code": "SCJG-002",
        "name": "个体工商户设立登记",
        "kind": "registration",
        "department_code": "SCJG",
        "window_code": "B01",
        "handling_type": "instant",
        "legal_limit": 3,
        "promised_limit": 0,
        "legal_basis": (
            "《促进个体工商户发展条例》第二条;"
            "《中华人民共和国市场主体登记管理条例》第十九条:对申请材料齐全、符合法定形式的予以确认并当场登记。"
        ),
        "conditions": "有经营能力的公民;有固定的经营场所;经营范围不属于法律、行政法规禁止的项目。",
        "online_allowed": True,
        "decided_at_window": True,
        "themes": ["business-setup"],
        "materials": [
            {"name": "个体工商户登记(备案)申请书"},
            {"name": "经营者身份证件", "form": "original_and_copy"},
            {"name": "经营场所使用证明", "form": "copy"},
            {
                "name": "委托代理人授权委托书",
                "requirement": "conditional",
                "condition": "委托他人办理的",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "核准登记", "kind": "decide", "post_code": "decide", "limit_days": 0},
            {"name": "发照", "kind": "certify", "post_code": "certify", "limit_days": 0},
        ],
    },
    {
        "code": "SCJG-003",
        "name": "企业变更登记",
        "kind": "registration",
        "department_code": "SCJG",
        "window_code": "B01",
        "handling_type": "promised",
        "legal_limit": 3,
        "promised_limit": 1,
        "legal_basis": (
            "《中华人民共和国市场主体登记管理条例》第二十四条:市场主体变更登记事项,应当自作出变更决议、"
            "决定或者法定变更事项发生之日起30日内向登记机关申请变更登记。"
        ),
        "conditions": "已依法登记的企业,变更名称、住所、法定代表人、注册资本、经营范围等登记事项。",
        "online_allowed": True,
        "decided_at_window": True,
        "themes": ["business-setup"],
        "materials": [
            {"name": "企业变更登记(备案)申请书"},
            {"name": "依法作出的变更决议或者决定"},
            {
                "name": "修改后的公司章程或者章程修正案",
                "requirement": "conditional",
                "condition": "变更事项涉及章程修改的",
            },
            {"name": "营业执照正本和副本", "note": "换发新照时交回"},
            {
                "name": "委托代理人授权委托书",
                "requirement": "conditional",
                "condition": "委托他人办理的",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "核准", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "换照", "kind": "certify", "post_code": "certify", "limit_days": 0},
        ],
    },
    {
        "code": "SCJG-004",
        "name": "企业注销登记",
        "kind": "registration",
        "department_code": "SCJG",
        "window_code": "B01",
        "handling_type": "promised",
        "legal_limit": 3,
        "promised_limit": 2,
        "legal_basis": (
            "《中华人民共和国公司法》第二百三十九条;"
            "《中华人民共和国市场主体登记管理条例》第三十一条、第三十二条。"
        ),
        "conditions": "企业因解散、被宣告破产或者其他法定事由需要终止的,清算结束后申请注销登记。",
        "online_allowed": True,
        "themes": ["business-setup"],
        "materials": [
            {"name": "企业注销登记申请书"},
            {"name": "依法作出解散的决议或者决定", "note": "或者人民法院的破产裁定、解散裁判文书"},
            {"name": "经确认的清算报告"},
            {"name": "清税证明", "note": "税务机关出具;已实行信息共享的无需提交"},
            {"name": "营业执照正本和副本"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "审查", "kind": "review", "post_code": "review", "limit_days": 1},
            {"name": "核准", "kind": "decide", "post_code": "decide", "limit_days": 1},
        ],
    },
    {
        "code": "SCJG-005",
        "name": "食品经营许可",
        "kind": "license",
        "department_code": "SCJG",
        "window_code": "B02",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 7,
        "legal_basis": (
            "《中华人民共和国食品安全法》第三十五条:国家对食品生产经营实行许可制度;"
            "《中华人民共和国行政许可法》第四十二条;"
            "《食品经营许可和备案管理办法》(国家市场监督管理总局令第78号)。"
        ),
        "conditions": (
            "1. 具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所;\n"
            "2. 具有与经营的食品品种、数量相适应的经营设备或者设施;\n"
            "3. 有专职或者兼职的食品安全管理人员和保证食品安全的规章制度;\n"
            "4. 具有合理的设备布局和工艺流程,防止交叉污染。"
        ),
        "online_allowed": True,
        "appointment_allowed": True,
        "valid_from": dt.date(2023, 12, 1),
        "themes": ["business-operation", "health"],
        "materials": [
            {"name": "食品经营许可申请书"},
            {
                "name": "营业执照或者其他主体资格证明文件",
                "form": "copy",
                "shared_result_item_code": "SCJG-001",
            },
            {"name": "与食品经营相适应的主要设备设施、经营布局、操作流程等文件"},
            {"name": "食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等规章制度"},
            {"name": "法定代表人(负责人)身份证件", "form": "copy"},
            {
                "name": "自动售货设备的产品合格证明、放置地点和经营者联系方式",
                "requirement": "conditional",
                "condition": "利用自动售货设备从事食品销售的",
                "form": "copy",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "现场核查", "kind": "review", "post_code": "review", "limit_days": 4, "on_site": False},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "制证", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "SCJG-006",
        "name": "食品生产许可",
        "kind": "license",
        "department_code": "SCJG",
        "window_code": "B02",
        "handling_type": "promised",
        "legal_limit": 10,
        "promised_limit": 7,
        "legal_basis": (
            "《中华人民共和国食品安全法》第三十五条;《食品生产许可管理办法》(国家市场监督管理总局令第24号)。"
        ),
        "conditions": (
            "具有与生产的食品品种、数量相适应的生产场所、设备设施,有专职或者兼职的食品安全专业技术人员、"
            "食品安全管理人员和保证食品安全的规章制度,有合理的设备布局和工艺流程。"
        ),
        "online_allowed": True,
        "themes": ["business-operation", "health"],
        "materials": [
            {"name": "食品生产许可申请书"},
            {"name": "营业执照", "form": "copy", "shared_result_item_code": "SCJG-001"},
            {"name": "食品生产设备布局图和食品生产工艺流程图"},
            {"name": "食品生产主要设备、设施清单"},
            {"name": "食品安全专业技术人员、食品安全管理人员信息和食品安全管理制度"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "现场核查", "kind": "review", "post_code": "review", "limit_days": 4, "on_site": False},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "制证", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "SCJG-007",
        "name": "药品零售企业经营许可",
        "kind": "license",
        "department_code": "SCJG",
        "window_code": "B02",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 10,
        "legal_basis": (
            "《中华人民共和国药品管理法》第五十一条、第五十二条;《药品经营和使用质量监督管理办法》。"
        ),
        "conditions": (
            "有依法经过资格认定的药师或者其他药学技术人员;有与所经营药品相适应的营业场所、设备、"
            "仓储设施和卫生环境;有与所经营药品相适应的质量管理机构或者人员;有保证药品质量的规章制度。"
        ),
        "online_allowed": True,
        "themes": ["business-operation", "health"],
        "materials": [
            {"name": "药品经营许可证申请表"},
            {"name": "营业执照", "form": "copy", "shared_result_item_code": "SCJG-001"},
            {"name": "企业负责人、质量负责人的身份证明、学历证明及执业药师注册证", "form": "copy"},
            {"name": "经营场所、仓库平面布局图及房屋产权或者使用权证明", "form": "copy"},
            {"name": "药品质量管理制度文件目录"},
            {
                "name": "委托代理人授权委托书",
                "requirement": "conditional",
                "condition": "委托他人办理的",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "现场检查", "kind": "review", "post_code": "review", "limit_days": 6, "on_site": False},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 2},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "制证", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "SCJG-008",
        "name": "特种设备使用登记",
        "kind": "registration",
        "department_code": "SCJG",
        "window_code": "B03",
        "handling_type": "promised",
        "legal_limit": 15,
        "promised_limit": 5,
        "legal_basis": (
            "《中华人民共和国特种设备安全法》第三十三条:特种设备使用单位应当在特种设备投入使用前或者"
            "投入使用后三十日内,向负责特种设备安全监督管理的部门办理使用登记;"
            "《特种设备使用管理规则》(TSG 08)。"
        ),
        "conditions": "锅炉、压力容器、电梯、起重机械、场(厂)内专用机动车辆等特种设备经检验合格。",
        "online_allowed": True,
        "themes": ["business-operation"],
        "materials": [
            {"name": "特种设备使用登记表", "copies": 2},
            {"name": "使用单位营业执照或者统一社会信用代码证明", "form": "copy"},
            {"name": "特种设备产品合格证", "form": "copy"},
            {
                "name": "特种设备监督检验证明",
                "requirement": "conditional",
                "condition": "按照规定需要监督检验的",
                "form": "copy",
            },
            {
                "name": "定期检验报告",
                "requirement": "conditional",
                "condition": "在用设备首次办理使用登记的",
                "form": "copy",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "审查", "kind": "review", "post_code": "review", "limit_days": 3},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "发证", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "SCJG-009",
        "name": "第二类医疗器械经营备案",
        "kind": "filing",
        "department_code": "SCJG",
        "window_code": "B02",
        "handling_type": "instant",
        "legal_limit": 0,
        "promised_limit": 0,
        "legal_basis": (
            "《医疗器械监督管理条例》第四十一条:从事第二类医疗器械经营的,由经营企业向所在地设区的市级"
            "人民政府负责药品监督管理的部门备案。"
        ),
        "conditions": "有与经营规模和经营范围相适应的经营场所和贮存条件,以及与经营的医疗器械相适应的质量管理制度和质量管理机构或者人员。",
        "online_allowed": True,
        "visits_required": 0,
        "decided_at_window": True,
        "themes": ["business-operation", "health"],
        "materials": [
            {"name": "第二类医疗器械经营备案表"},
            {"name": "营业执照", "form": "copy", "shared_result_item_code": "SCJG-001"},
            {"name": "法定代表人、企业负责人、质量负责人的身份证明和学历或者职称证明", "form": "copy"},
            {"name": "经营场所和库房的地址证明", "form": "copy"},
            {"name": "经营质量管理制度、工作程序等文件目录"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "备案", "kind": "decide", "post_code": "decide", "limit_days": 0},
        ],
    },
    # --- 税务局 ------------------------------------------------------------------------
    {
        "code": "SW-001",
        "name": "设立税务登记(国税)",
        "kind": "registration",
        "department_code": "SW",
        "window_code": "B04",
        "handling_type": "instant",
        "legal_limit": 0,
        "promised_limit": 0,
        "legal_basis": (
            "《中华人民共和国税收征收管理法》第十五条:税务机关应当于收到申报的当日办理登记并发给税务登记证件;"
            "《中华人民共和国税收征收管理法实施细则》第十二条;"
            "《税务登记管理办法》(国家税务总局令第7号)。"
        ),
        "conditions": (
            "从事生产、经营的纳税人自领取营业执照之日起30日内申报办理。"
            "2015年10月起实行“三证合一”后,新设企业改为涉税信息确认(SW-003);"
            "本事项保留用于企业设立登记并联审批(四证联办)的演示。"
        ),
        "decided_at_window": True,
        "themes": ["tax", "business-setup"],
        "materials": [
            {"name": "税务登记表(适用单位纳税人)", "copies": 2},
            {"name": "营业执照副本", "form": "copy", "shared_result_item_code": "SCJG-001"},
            {"name": "组织机构代码证书副本", "form": "copy", "shared_result_item_code": "ZJJ-001"},
            {"name": "法定代表人(负责人)身份证件", "form": "original_and_copy"},
            {"name": "公司章程", "form": "copy"},
            {"name": "注册地址及生产、经营地址证明", "form": "copy"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "登记", "kind": "decide", "post_code": "decide", "limit_days": 0},
            {"name": "发证", "kind": "certify", "post_code": "certify", "limit_days": 0},
        ],
    },
    {
        "code": "SW-002",
        "name": "设立税务登记(地税)",
        "kind": "registration",
        "department_code": "SW",
        "window_code": "B04",
        "handling_type": "instant",
        "legal_limit": 0,
        "promised_limit": 0,
        "legal_basis": (
            "《中华人民共和国税收征收管理法》第十五条;"
            "《中华人民共和国税收征收管理法实施细则》第十二条;"
            "《税务登记管理办法》(国家税务总局令第7号)。"
        ),
        "conditions": (
            "从事生产、经营的纳税人自领取营业执照之日起30日内申报办理。"
            "2018年国税地税征管体制改革后已并入税务局统一办理;本事项保留用于四证联办的演示。"
        ),
        "decided_at_window": True,
        "themes": ["tax", "business-setup"],
        "materials": [
            {"name": "税务登记表(适用单位纳税人)", "copies": 2},
            {"name": "营业执照副本", "form": "copy", "shared_result_item_code": "SCJG-001"},
            {"name": "组织机构代码证书副本", "form": "copy", "shared_result_item_code": "ZJJ-001"},
            {"name": "法定代表人(负责人)身份证件", "form": "original_and_copy"},
            {"name": "财务负责人、办税人员身份证件", "form": "copy"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "登记", "kind": "decide", "post_code": "decide", "limit_days": 0},
            {"name": "发证", "kind": "certify", "post_code": "certify", "limit_days": 0},
        ],
    },
    {
        "code": "SW-003",
        "name": "新办纳税人涉税信息确认",
        "kind": "confirmation",
        "department_code": "SW",
        "window_code": "B04",
        "handling_type": "instant",
        "legal_limit": 0,
        "promised_limit": 0,
        "legal_basis": (
            "《中华人民共和国税收征收管理法》第十五条;"
            "《国家税务总局关于落实“三证合一”登记制度改革的通知》(税总函〔2015〕482号)。"
        ),
        "conditions": "已领取加载统一社会信用代码营业执照的新办纳税人,首次办理涉税事宜时确认登记信息。",
        "online_allowed": True,
        "visits_required": 0,
        "decided_at_window": True,
        "themes": ["tax", "business-setup"],
        "materials": [
            {"name": "营业执照", "form": "electronic", "shared_result_item_code": "SCJG-001"},
            {"name": "经办人身份证件", "form": "electronic"},
            {
                "name": "财务会计制度及核算软件备案报告书",
                "requirement": "conditional",
                "condition": "使用计算机记账的",
                "form": "electronic",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "确认", "kind": "decide", "post_code": "decide", "limit_days": 0},
        ],
    },
    {
        "code": "SW-004",
        "name": "增值税一般纳税人登记",
        "kind": "registration",
        "department_code": "SW",
        "window_code": "B04",
        "handling_type": "instant",
        "legal_limit": 0,
        "promised_limit": 0,
        "legal_basis": (
            "《中华人民共和国增值税暂行条例》第十三条;"
            "《增值税一般纳税人登记管理办法》(国家税务总局令第43号)。"
        ),
        "conditions": "年应税销售额超过规定的小规模纳税人标准,或者会计核算健全、能够提供准确税务资料的纳税人。",
        "online_allowed": True,
        "visits_required": 0,
        "decided_at_window": True,
        "themes": ["tax"],
        "materials": [
            {"name": "增值税一般纳税人登记表"},
            {"name": "营业执照", "form": "copy", "shared_result_item_code": "SCJG-001"},
            {"name": "经办人身份证件", "form": "copy"},
            {
                "name": "会计核算健全、能够提供准确税务资料的说明",
                "requirement": "conditional",
                "condition": "年应税销售额未超过小规模纳税人标准、自愿登记的",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "登记", "kind": "decide", "post_code": "decide", "limit_days": 0},
        ],
    },
    {
        "code": "SW-005",
        "name": "发票领用",
        "kind": "other_power",
        "department_code": "SW",
        "window_code": "B05",
        "handling_type": "instant",
        "legal_limit": 0,
        "promised_limit": 0,
        "legal_basis": (
            "《中华人民共和国发票管理办法》第十五条:需要领用发票的单位和个人,应当持设立登记证件或者税务登记证件,"
            "以及经办人身份证明,向主管税务机关办理发票领用手续;"
            "《中华人民共和国发票管理办法实施细则》。"
        ),
        "conditions": "已办理涉税信息确认或者税务登记的纳税人。",
        "online_allowed": True,
        "appointment_allowed": True,
        "decided_at_window": True,
        "themes": ["tax"],
        "materials": [
            {"name": "发票领用表"},
            {"name": "经办人身份证件", "form": "original"},
            {
                "name": "发票专用章印模",
                "requirement": "conditional",
                "condition": "首次领用发票的",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "核定发放", "kind": "decide", "post_code": "decide", "limit_days": 0},
        ],
    },
    # --- 质量技术监督局 (historical) ---------------------------------------------------
    {
        "code": "ZJJ-001",
        "name": "组织机构代码证书办理",
        "kind": "registration",
        "department_code": "ZJJ",
        "window_code": "B06",
        "handling_type": "promised",
        "legal_limit": 5,
        "promised_limit": 1,
        "legal_basis": (
            "《组织机构代码管理办法》(国家质量监督检验检疫总局令第110号);"
            "《国务院办公厅关于加快推进“三证合一”登记制度改革的意见》(国办发〔2015〕50号)。"
        ),
        "conditions": (
            "依法设立的机关、企业、事业单位、社会团体和其他组织。2015年10月起“三证合一”,"
            "组织机构代码并入统一社会信用代码;本事项保留用于2009年版企业设立并联审批(四证联办)的演示。"
        ),
        "fees": "不收费(企业设立并联审批免收组织机构代码证书工本费)",
        "fee_basis": "示范市企业设立并联审批减免登记相关费用的规定",
        "decided_at_window": True,
        "themes": ["business-setup"],
        "materials": [
            {"name": "组织机构代码申报表", "note": "加盖单位公章"},
            {"name": "营业执照副本", "form": "copy", "shared_result_item_code": "SCJG-001"},
            {"name": "法定代表人(负责人)身份证件", "form": "copy"},
            {"name": "经办人身份证件", "form": "original_and_copy"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "赋码", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "制证", "kind": "certify", "post_code": "certify", "limit_days": 0},
        ],
    },
    {
        "code": "ZJJ-002",
        "name": "工业产品生产许可证(省级发证产品)受理初审",
        "kind": "license",
        "department_code": "ZJJ",
        "window_code": "B06",
        "handling_type": "reported",
        "legal_limit": 60,
        "promised_limit": 30,
        "legal_basis": (
            "《中华人民共和国工业产品生产许可证管理条例》(国务院令第440号);"
            "《中华人民共和国工业产品生产许可证管理条例实施办法》。"
        ),
        "conditions": (
            "生产列入省级发证目录的工业产品的企业,有与生产产品相适应的专业技术人员、生产条件和检验检疫手段,"
            "有保证产品质量的管理制度和责任制度,产品符合有关国家标准、行业标准。"
            "市中心受理并初审后上报省级质量技术监督部门决定。"
        ),
        "themes": ["business-operation"],
        "materials": [
            {"name": "工业产品生产许可证申请书", "copies": 2},
            {"name": "营业执照", "form": "copy", "shared_result_item_code": "SCJG-001"},
            {"name": "产品检验报告", "form": "copy"},
            {"name": "企业质量管理制度文件"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 1},
            {"name": "初审", "kind": "review", "post_code": "review", "limit_days": 4},
            {"name": "上报省级部门", "kind": "report", "post_code": "report", "limit_days": 1},
        ],
    },
]
