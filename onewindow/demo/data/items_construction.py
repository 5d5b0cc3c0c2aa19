# Long Chinese legal texts read better unbroken.
# ruff: noqa: E501
"""Service items of the construction departments: development and reform (FG), natural resources and
planning (ZRZY), housing and construction (ZJ), ecology and environment (STHJ), civil air defence
(RF), meteorology (QX), water (SL), fire and rescue (XF).

Most of them belong to the 工业建设项目审批 bundle's four phases (立项用地规划许可 → 工程建设许可 →
施工许可 → 竣工验收), so their promised limits fit inside their phase's limit. Item spec format of
`onewindow.catalog.services.catalog_import_specs`; missing keys take the defaults of
`onewindow.demo.specs`.
"""

from __future__ import annotations

ITEMS: list[dict] = [
    # --- 发展和改革委员会 ---------------------------------------------------------------
    {
        "code": "FG-001",
        "name": "企业投资项目核准",
        "kind": "license",
        "department_code": "FG",
        "window_code": "C09",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 10,
        "legal_basis": (
            "《企业投资项目核准和备案管理条例》(国务院令第673号):核准机关应当自受理申请之日起20个工作日内,"
            "作出是否予以核准的决定;《企业投资项目核准和备案管理办法》(国家发展改革委令第2号);"
            "《政府核准的投资项目目录》。"
        ),
        "conditions": "列入《政府核准的投资项目目录》、属于本级核准权限的企业投资项目。",
        "online_allowed": True,
        "green_channel_eligible": True,
        "themes": ["construction"],
        "materials": [
            {"name": "项目申请报告"},
            {"name": "用地预审与选址意见书", "form": "copy", "shared_result_item_code": "ZRZY-001"},
            {
                "name": "法律、行政法规规定需要办理的其他相关手续",
                "requirement": "conditional",
                "condition": "法律、行政法规另有规定的",
                "form": "copy",
            },
            {"name": "项目单位营业执照", "form": "copy", "shared_result_item_code": "SCJG-001"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "评估论证", "kind": "review", "post_code": "review", "limit_days": 5, "on_site": False},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 2},
            {"name": "核准决定", "kind": "decide", "post_code": "decide", "limit_days": 2},
            {"name": "出具核准文件", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "FG-002",
        "name": "企业投资项目备案",
        "kind": "filing",
        "department_code": "FG",
        "window_code": "C09",
        "handling_type": "instant",
        "legal_limit": 0,
        "promised_limit": 0,
        "legal_basis": (
            "《企业投资项目核准和备案管理条例》(国务院令第673号)第十三条:实行备案管理的项目,企业应当在开工建设前"
            "通过在线平台将项目信息告知备案机关。"
        ),
        "conditions": "《政府核准的投资项目目录》以外的企业投资项目。",
        "online_allowed": True,
        "visits_required": 0,
        "green_channel_eligible": True,
        "decided_at_window": True,
        "themes": ["construction"],
        "materials": [
            {"name": "企业投资项目备案信息表", "form": "electronic"},
            {"name": "项目单位营业执照", "form": "electronic", "shared_result_item_code": "SCJG-001"},
            {"name": "项目建设规模、建设内容和总投资说明", "form": "electronic"},
            {"name": "项目符合产业政策的声明", "form": "electronic"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "备案", "kind": "decide", "post_code": "decide", "limit_days": 0},
        ],
    },
    {
        "code": "FG-003",
        "name": "固定资产投资项目节能审查",
        "kind": "license",
        "department_code": "FG",
        "window_code": "C09",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 6,
        "legal_basis": (
            "《中华人民共和国节约能源法》第十五条:国家实行固定资产投资项目节能评估和审查制度;"
            "《固定资产投资项目节能审查办法》。"
        ),
        "conditions": "年综合能源消费量达到规定标准、应当单独进行节能审查的固定资产投资项目。",
        "online_allowed": True,
        "green_channel_eligible": True,
        "themes": ["construction"],
        "materials": [
            {"name": "节能审查申请"},
            {"name": "项目节能报告"},
            {
                "name": "项目备案证明",
                "requirement": "conditional",
                "condition": "备案类项目",
                "form": "copy",
                "shared_result_item_code": "FG-002",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "组织评审", "kind": "review", "post_code": "review", "limit_days": 3, "on_site": False},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "出具审查意见", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "FG-004",
        "name": "省级核准权限企业投资项目转报",
        "kind": "other_power",
        "department_code": "FG",
        "window_code": "C09",
        "handling_type": "reported",
        "legal_limit": 20,
        "promised_limit": 15,
        "legal_basis": (
            "《企业投资项目核准和备案管理条例》(国务院令第673号);"
            "《企业投资项目核准和备案管理办法》(国家发展改革委令第2号)。"
        ),
        "conditions": "属于省级核准权限的企业投资项目,由市级发展改革部门受理、初审后转报省级核准机关。",
        "online_allowed": True,
        "green_channel_eligible": True,
        "themes": ["construction"],
        "materials": [
            {"name": "项目申请报告"},
            {"name": "转报申请文件"},
            {"name": "用地预审与选址意见书", "form": "copy", "shared_result_item_code": "ZRZY-001"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 1},
            {"name": "初审", "kind": "review", "post_code": "review", "limit_days": 2},
            {"name": "转报省级核准机关", "kind": "report", "post_code": "report", "limit_days": 1},
        ],
    },
    # --- 自然资源和规划局 ---------------------------------------------------------------
    {
        "code": "ZRZY-001",
        "name": "建设项目用地预审与选址意见书核发",
        "kind": "license",
        "department_code": "ZRZY",
        "window_code": "C03",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 6,
        "legal_basis": (
            "《中华人民共和国土地管理法》第五十二条;"
            "《中华人民共和国城乡规划法》第三十六条;"
            "《建设项目用地预审管理办法》。"
        ),
        "conditions": "需要有关部门批准或者核准、以划拨方式提供国有土地使用权的建设项目,以及需要办理用地预审的建设项目。",
        "online_allowed": True,
        "green_channel_eligible": True,
        "themes": ["construction"],
        "materials": [
            {"name": "建设项目用地预审与选址申请表"},
            {"name": "建设项目用地预审与选址申请报告"},
            {"name": "标注拟选址范围的地形图和勘测定界图", "form": "electronic"},
            {
                "name": "项目建议书批复文件或者项目备案证明",
                "requirement": "conditional",
                "condition": "已立项的",
                "form": "copy",
                "shared_result_item_code": "FG-002",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "审查", "kind": "review", "post_code": "review", "limit_days": 3},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "核发", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "ZRZY-002",
        "name": "建设用地规划许可证核发",
        "kind": "license",
        "department_code": "ZRZY",
        "window_code": "C03",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 7,
        "legal_basis": "《中华人民共和国城乡规划法》第三十七条、第三十八条。",
        "conditions": "以划拨方式取得国有土地使用权经有关部门批准、核准、备案的建设项目,或者已签订国有土地使用权出让合同的建设项目。",
        "online_allowed": True,
        "green_channel_eligible": True,
        "themes": ["construction"],
        "materials": [
            {"name": "建设用地规划许可申请表"},
            {
                "name": "国有建设用地使用权出让合同",
                "requirement": "conditional",
                "condition": "以出让方式取得土地的",
                "form": "copy",
            },
            {
                "name": "国有建设用地划拨决定书",
                "requirement": "conditional",
                "condition": "以划拨方式取得土地的",
                "form": "copy",
            },
            {"name": "用地预审与选址意见书", "form": "copy", "shared_result_item_code": "ZRZY-001"},
            {"name": "项目批准、核准或者备案文件", "form": "copy", "shared_result_item_code": "FG-002"},
            {"name": "标明用地范围的地形图", "form": "electronic"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "审查", "kind": "review", "post_code": "review", "limit_days": 4},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "核发", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "ZRZY-003",
        "name": "建设工程规划许可证核发",
        "kind": "license",
        "department_code": "ZRZY",
        "window_code": "C03",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 7,
        "legal_basis": "《中华人民共和国城乡规划法》第四十条。",
        "conditions": "在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设,已取得建设用地规划许可和土地使用权。",
        "online_allowed": True,
        "green_channel_eligible": True,
        "themes": ["construction"],
        "materials": [
            {"name": "建设工程规划许可申请表"},
            {"name": "使用土地的有关证明文件", "form": "copy", "shared_result_item_code": "ZRZY-005"},
            {"name": "建设用地规划许可证", "form": "copy", "shared_result_item_code": "ZRZY-002"},
            {"name": "建设工程设计方案(总平面图、建筑单体方案)", "copies": 2},
            {
                "name": "建设工程设计方案审查意见",
                "requirement": "conditional",
                "condition": "已进行方案审查的",
                "form": "copy",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "审查", "kind": "review", "post_code": "review", "limit_days": 4},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "核发", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "ZRZY-004",
        "name": "建设工程规划条件核实和土地核验",
        "kind": "confirmation",
        "department_code": "ZRZY",
        "window_code": "C03",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 5,
        "legal_basis": (
            "《中华人民共和国城乡规划法》第四十五条:县级以上地方人民政府城乡规划主管部门按照国务院规定"
            "对建设工程是否符合规划条件予以核实;"
            "《自然资源部关于以“多规合一”为基础推进规划用地“多审合一、多证合一”改革的通知》(自然资规〔2019〕2号):"
            "推进多测整合、多验合一,将规划核实与土地核验合并为一个验收事项。"
        ),
        "conditions": "建设工程竣工后,已取得建设工程规划许可证和国有建设用地使用权。",
        "green_channel_eligible": True,
        "deemed_approval_days": 3,
        "themes": ["construction"],
        "materials": [
            {"name": "建设工程规划条件核实申请表"},
            {"name": "建设工程规划许可证", "form": "copy", "shared_result_item_code": "ZRZY-003"},
            {"name": "竣工测量成果报告"},
            {"name": "建设工程竣工图", "form": "electronic"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "现场核实", "kind": "review", "post_code": "review", "limit_days": 3, "on_site": False},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "出具核实意见", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "ZRZY-005",
        "name": "国有建设用地使用权首次登记",
        "kind": "registration",
        "department_code": "ZRZY",
        "window_code": "C04",
        "handling_type": "promised",
        "legal_limit": 30,
        "promised_limit": 5,
        "legal_basis": (
            "《中华人民共和国民法典》第二百零九条;"
            "《不动产登记暂行条例》第二十条:不动产登记机构应当自受理登记申请之日起30个工作日内办结不动产登记手续。"
        ),
        "conditions": "依法取得国有建设用地使用权并缴清土地价款及相关税费。",
        "fees": "不动产登记费:非住宅类每件550元;不动产权证书工本费:第一本免收,每增加一本10元。",
        "fee_basis": "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》(发改价格规〔2016〕2559号)",
        "online_allowed": True,
        "green_channel_eligible": True,
        "themes": ["construction", "real-estate"],
        "materials": [
            {"name": "不动产登记申请书"},
            {"name": "申请人身份证明", "form": "copy"},
            {"name": "国有建设用地使用权出让合同及土地出让价款缴纳凭证", "form": "copy"},
            {"name": "不动产权籍调查成果"},
            {"name": "相关税费缴纳凭证", "form": "copy"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "审核", "kind": "review", "post_code": "review", "limit_days": 2},
            {"name": "登簿", "kind": "decide", "post_code": "decide", "limit_days": 2},
            {"name": "缮证发证", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "ZRZY-006",
        "name": "不动产转移登记(存量房买卖)",
        "kind": "registration",
        "department_code": "ZRZY",
        "window_code": "C04",
        "handling_type": "promised",
        "legal_limit": 30,
        "promised_limit": 3,
        "legal_basis": (
            "《中华人民共和国民法典》第二百零九条、第二百一十四条;"
            "《不动产登记暂行条例》第二十条;《不动产登记暂行条例实施细则》。"
        ),
        "conditions": "已办理不动产登记的房屋因买卖发生所有权转移,买卖双方已签订合同并缴纳相关税费。",
        "fees": "住宅类每件80元;非住宅类每件550元;证书工本费第一本免收,每增加一本10元。",
        "fee_basis": "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》(发改价格规〔2016〕2559号)",
        "online_allowed": True,
        "appointment_allowed": True,
        "themes": ["real-estate"],
        "materials": [
            {"name": "不动产登记申请书"},
            {"name": "买卖双方身份证明", "form": "original_and_copy"},
            {"name": "不动产权属证书"},
            {"name": "存量房买卖合同"},
            {"name": "契税等相关税费完税凭证", "form": "copy"},
            {
                "name": "婚姻状况证明",
                "requirement": "conditional",
                "condition": "房屋为夫妻共有的",
                "form": "copy",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "审核", "kind": "review", "post_code": "review", "limit_days": 1},
            {"name": "登簿", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "缮证发证", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    # --- 住房和城乡建设局 ---------------------------------------------------------------
    {
        "code": "ZJ-001",
        "name": "建筑工程施工许可证核发",
        "kind": "license",
        "department_code": "ZJ",
        "window_code": "C01",
        "handling_type": "promised",
        "legal_limit": 7,
        "promised_limit": 3,
        "legal_basis": (
            "《中华人民共和国建筑法》第七条、第八条:建设行政主管部门应当自收到申请之日起七日内,"
            "对符合条件的申请颁发施工许可证;《建筑工程施工许可管理办法》(住房和城乡建设部令第18号)。"
        ),
        "conditions": (
            "已办理用地批准手续;依法应当办理建设工程规划许可证的,已取得规划许可证;施工场地已基本具备施工条件;"
            "已确定建筑施工企业;有满足施工需要的资金安排、施工图纸及技术资料;有保证工程质量和安全的具体措施。"
        ),
        "online_allowed": True,
        "green_channel_eligible": True,
        "decided_at_window": True,
        "themes": ["construction"],
        "materials": [
            {"name": "建筑工程施工许可申请表"},
            {"name": "建设工程规划许可证", "form": "copy", "shared_result_item_code": "ZRZY-003"},
            {
                "name": "不动产权证书或者其他用地批准手续",
                "form": "copy",
                "shared_result_item_code": "ZRZY-005",
            },
            {"name": "施工合同", "form": "copy"},
            {
                "name": "中标通知书",
                "requirement": "conditional",
                "condition": "依法必须招标的工程",
                "form": "copy",
            },
            {"name": "施工图设计文件审查合格书", "form": "copy"},
            {"name": "建设资金已经落实承诺书"},
            {
                "name": "特殊建设工程消防设计审查意见书",
                "requirement": "conditional",
                "condition": "属于特殊建设工程的",
                "form": "copy",
                "shared_result_item_code": "ZJ-002",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "审查", "kind": "review", "post_code": "review", "limit_days": 1},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "发证", "kind": "certify", "post_code": "certify", "limit_days": 0},
        ],
    },
    {
        "code": "ZJ-002",
        "name": "特殊建设工程消防设计审查",
        "kind": "license",
        "department_code": "ZJ",
        "window_code": "C02",
        "handling_type": "promised",
        "legal_limit": 15,
        "promised_limit": 8,
        "legal_basis": (
            "《中华人民共和国消防法》第十一条:国务院住房和城乡建设主管部门规定的特殊建设工程,建设单位应当将消防"
            "设计文件报送住房和城乡建设主管部门审查;"
            "《建设工程消防设计审查验收管理暂行规定》(住房和城乡建设部令第51号)。"
        ),
        "conditions": "属于《建设工程消防设计审查验收管理暂行规定》所列特殊建设工程,消防设计文件符合国家工程建设消防技术标准。",
        "online_allowed": True,
        "green_channel_eligible": True,
        "themes": ["construction"],
        "materials": [
            {"name": "消防设计审查申请表"},
            {"name": "消防设计文件", "form": "electronic"},
            {
                "name": "建设工程规划许可证",
                "requirement": "conditional",
                "condition": "依法需要办理建设工程规划许可的",
                "form": "copy",
                "shared_result_item_code": "ZRZY-003",
            },
            {
                "name": "临时性建筑的批准文件",
                "requirement": "conditional",
                "condition": "依法需要批准的临时性建筑",
                "form": "copy",
            },
            {
                "name": "特殊消防设计技术资料",
                "requirement": "conditional",
                "condition": "需要进行特殊消防设计的",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "技术审查", "kind": "review", "post_code": "review", "limit_days": 5, "on_site": False},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "出具审查意见书", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "ZJ-003",
        "name": "特殊建设工程消防验收",
        "kind": "license",
        "department_code": "ZJ",
        "window_code": "C02",
        "handling_type": "promised",
        "legal_limit": 15,
        "promised_limit": 7,
        "legal_basis": (
            "《中华人民共和国消防法》第十三条:国务院住房和城乡建设主管部门规定应当申请消防验收的建设工程竣工,"
            "建设单位应当向住房和城乡建设主管部门申请消防验收;"
            "《建设工程消防设计审查验收管理暂行规定》(住房和城乡建设部令第51号)。"
        ),
        "conditions": "特殊建设工程竣工,建设单位已组织竣工验收且消防查验合格。",
        "green_channel_eligible": True,
        "themes": ["construction"],
        "materials": [
            {"name": "消防验收申请表"},
            {"name": "工程竣工验收报告"},
            {"name": "涉及消防的建设工程竣工图纸", "form": "electronic"},
            {"name": "特殊建设工程消防设计审查意见书", "form": "copy", "shared_result_item_code": "ZJ-002"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "现场评定", "kind": "review", "post_code": "review", "limit_days": 4, "on_site": False},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "出具验收意见书", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "ZJ-004",
        "name": "房屋建筑和市政基础设施工程竣工验收备案",
        "kind": "filing",
        "department_code": "ZJ",
        "window_code": "C01",
        "handling_type": "instant",
        "legal_limit": 0,
        "promised_limit": 0,
        "legal_basis": (
            "《建设工程质量管理条例》第四十九条:建设单位应当自建设工程竣工验收合格之日起15日内,"
            "将建设工程竣工验收报告和有关文件报建设行政主管部门备案;"
            "《房屋建筑和市政基础设施工程竣工验收备案管理办法》。"
        ),
        "conditions": "工程已竣工验收合格,规划、消防、人防、防雷等专项验收或者备案已完成。",
        "green_channel_eligible": True,
        "decided_at_window": True,
        "themes": ["construction"],
        "materials": [
            {"name": "工程竣工验收备案表", "copies": 2},
            {"name": "工程竣工验收报告"},
            {"name": "规划条件核实意见", "form": "copy", "shared_result_item_code": "ZRZY-004"},
            {
                "name": "消防验收意见书",
                "requirement": "conditional",
                "condition": "属于特殊建设工程的",
                "form": "copy",
                "shared_result_item_code": "ZJ-003",
            },
            {"name": "施工单位签署的工程质量保修书"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "备案", "kind": "decide", "post_code": "decide", "limit_days": 0},
        ],
    },
    {
        "code": "ZJ-005",
        "name": "商品房预售许可",
        "kind": "license",
        "department_code": "ZJ",
        "window_code": "C01",
        "handling_type": "promised",
        "legal_limit": 10,
        "promised_limit": 5,
        "legal_basis": ("《中华人民共和国城市房地产管理法》第四十五条;《城市商品房预售管理办法》第七条。"),
        "conditions": (
            "已交付全部土地使用权出让金,取得土地使用权证书;持有建设工程规划许可证和施工许可证;"
            "按提供预售的商品房计算,投入开发建设的资金达到工程建设总投资的25%以上,并已经确定施工进度和竣工交付日期。"
        ),
        "themes": ["real-estate"],
        "materials": [
            {"name": "商品房预售许可申请表"},
            {"name": "开发企业营业执照和资质证书", "form": "copy"},
            {"name": "土地使用权证书、建设工程规划许可证和施工许可证", "form": "copy"},
            {"name": "投入开发建设的资金达到工程建设总投资25%以上的证明"},
            {"name": "工程施工合同及关于施工进度的说明", "form": "copy"},
            {"name": "商品房预售方案"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "现场查勘", "kind": "review", "post_code": "review", "limit_days": 2, "on_site": False},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "制证", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "ZJ-006",
        "name": "建筑业企业资质核准(施工总承包三级)",
        "kind": "license",
        "department_code": "ZJ",
        "window_code": "C01",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 10,
        "legal_basis": (
            "《中华人民共和国建筑法》第十三条;《建筑业企业资质管理规定》(住房和城乡建设部令第22号)。"
        ),
        "conditions": "企业净资产、主要人员、已完成工程业绩和技术装备符合《建筑业企业资质标准》相应等级的要求。",
        "online_allowed": True,
        "themes": ["construction"],
        "materials": [
            {"name": "建筑业企业资质申请表"},
            {"name": "营业执照", "form": "copy", "shared_result_item_code": "SCJG-001"},
            {"name": "企业主要人员证明材料", "form": "copy"},
            {"name": "企业净资产证明(上一年度财务审计报告)", "form": "copy"},
            {
                "name": "技术装备证明材料",
                "requirement": "conditional",
                "condition": "资质标准要求技术装备的",
                "form": "copy",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "审查", "kind": "review", "post_code": "review", "limit_days": 5},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 2},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 2},
            {"name": "制证", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "ZJ-007",
        "name": "工业建设工程联合竣工验收",
        "kind": "other_power",
        "department_code": "ZJ",
        "window_code": "Z05",
        "handling_type": "joint",
        "legal_limit": 45,
        "promised_limit": 12,
        "legal_basis": (
            "《中华人民共和国行政许可法》第二十六条、第四十二条第二款:行政许可采取统一办理或者联合办理、集中办理的,"
            "办理的时间不得超过四十五日;"
            "《国务院办公厅关于全面开展工程建设项目审批制度改革的实施意见》(国办发〔2019〕11号)。"
        ),
        "conditions": (
            "在规划许可范围内的工业建设工程竣工,由中心统一受理,住建牵头组织自然资源和规划、生态环境、人防、"
            "气象等部门对规划、消防、人防、防雷等内容一次性集中验收。"
        ),
        "green_channel_eligible": True,
        "themes": ["construction"],
        "materials": [
            {"name": "联合竣工验收申请表"},
            {"name": "工程竣工验收报告"},
            {"name": "建设工程竣工图", "form": "electronic"},
            {"name": "竣工测量成果报告"},
            {"name": "防雷装置检测报告", "form": "copy"},
            {"name": "人防工程竣工资料", "requirement": "conditional", "condition": "建有人防工程的"},
        ],
        "steps": [
            {"name": "统一受理", "kind": "accept", "post_code": "accept", "limit_days": 1},
            {
                "name": "联合现场验收",
                "kind": "other",
                "post_code": "review",
                "limit_days": 5,
                "on_site": False,
            },
            {"name": "会审", "kind": "review", "post_code": "review", "limit_days": 3},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 2},
            {"name": "出具联合验收意见", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    # --- 生态环境局 ---------------------------------------------------------------------
    {
        "code": "STHJ-001",
        "name": "建设项目环境影响报告书审批",
        "kind": "license",
        "department_code": "STHJ",
        "window_code": "C05",
        "handling_type": "promised",
        "legal_limit": 60,
        "promised_limit": 20,
        "legal_basis": (
            "《中华人民共和国环境影响评价法》第二十二条:审批部门应当自收到环境影响报告书之日起六十日内,"
            "收到环境影响报告表之日起三十日内,分别作出审批决定并书面通知建设单位;"
            "《建设项目环境保护管理条例》第九条。"
        ),
        "conditions": "可能造成重大环境影响、依法应当编制环境影响报告书的建设项目。",
        "online_allowed": True,
        "green_channel_eligible": True,
        "themes": ["construction", "environment"],
        "materials": [
            {"name": "建设项目环境影响评价文件审批申请"},
            {"name": "环境影响报告书", "copies": 2},
            {"name": "公众参与说明"},
            {"name": "项目核准或者备案文件", "form": "copy", "shared_result_item_code": "FG-002"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "技术评估", "kind": "review", "post_code": "review", "limit_days": 12, "on_site": False},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 3},
            {"name": "决定(含公示)", "kind": "decide", "post_code": "decide", "limit_days": 3},
            {"name": "出具批复", "kind": "certify", "post_code": "certify", "limit_days": 2},
        ],
    },
    {
        "code": "STHJ-002",
        "name": "建设项目环境影响报告表审批",
        "kind": "license",
        "department_code": "STHJ",
        "window_code": "C05",
        "handling_type": "promised",
        "legal_limit": 30,
        "promised_limit": 6,
        "legal_basis": ("《中华人民共和国环境影响评价法》第二十二条;《建设项目环境保护管理条例》第九条。"),
        "conditions": "可能造成轻度环境影响、依法应当编制环境影响报告表的建设项目。",
        "online_allowed": True,
        "green_channel_eligible": True,
        "themes": ["construction", "environment"],
        "materials": [
            {"name": "建设项目环境影响评价文件审批申请"},
            {"name": "环境影响报告表", "copies": 2},
            {"name": "项目核准或者备案文件", "form": "copy", "shared_result_item_code": "FG-002"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "技术审查", "kind": "review", "post_code": "review", "limit_days": 3},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "出具批复", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "STHJ-003",
        "name": "建设项目环境影响登记表备案",
        "kind": "filing",
        "department_code": "STHJ",
        "window_code": "C05",
        "handling_type": "instant",
        "legal_limit": 0,
        "promised_limit": 0,
        "legal_basis": (
            "《中华人民共和国环境影响评价法》第十六条;"
            "《建设项目环境影响登记表备案管理办法》(环境保护部令第41号)。"
        ),
        "conditions": "对环境影响很小、不需要进行环境影响评价、应当填报环境影响登记表的建设项目。",
        "online_allowed": True,
        "visits_required": 0,
        "decided_at_window": True,
        "themes": ["environment"],
        "materials": [
            {"name": "建设项目环境影响登记表", "form": "electronic"},
            {"name": "建设单位营业执照", "form": "electronic", "shared_result_item_code": "SCJG-001"},
            {"name": "建设项目选址位置图", "form": "electronic"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "备案", "kind": "decide", "post_code": "decide", "limit_days": 0},
        ],
    },
    {
        "code": "STHJ-004",
        "name": "排污许可证核发",
        "kind": "license",
        "department_code": "STHJ",
        "window_code": "C05",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 10,
        "legal_basis": "《排污许可管理条例》(国务院令第736号);《排污许可管理办法》。",
        "conditions": "纳入固定污染源排污许可分类管理名录、实行排污许可重点管理或者简化管理的排污单位。",
        "online_allowed": True,
        "themes": ["environment", "business-operation"],
        "materials": [
            {"name": "排污许可证申请表"},
            {"name": "自行监测方案"},
            {"name": "污染物排放口位置和数量示意图"},
            {
                "name": "环境影响评价文件审批意见",
                "requirement": "conditional",
                "condition": "依法需要审批环境影响评价文件的",
                "form": "copy",
                "shared_result_item_code": "STHJ-001",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {
                "name": "审查(含现场核查)",
                "kind": "review",
                "post_code": "review",
                "limit_days": 6,
                "on_site": False,
            },
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 2},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "核发", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    # --- 人民防空办公室 -----------------------------------------------------------------
    {
        "code": "RF-001",
        "name": "结合民用建筑修建防空地下室审批",
        "kind": "license",
        "department_code": "RF",
        "window_code": "C06",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 7,
        "legal_basis": (
            "《中华人民共和国人民防空法》第二十二条:城市新建民用建筑,按照国家有关规定修建战时可用于防空的地下室;"
            "《人民防空工程建设管理规定》。"
        ),
        "conditions": "城市规划区内新建民用建筑,按照规定应当修建防空地下室。",
        "green_channel_eligible": True,
        "deemed_approval_days": 3,
        "themes": ["construction"],
        "materials": [
            {"name": "防空地下室建设审批申请表"},
            {"name": "建设工程设计方案审查意见", "form": "copy"},
            {"name": "防空地下室施工图设计文件", "form": "electronic"},
            {
                "name": "人防工程施工图审查合格书",
                "requirement": "conditional",
                "condition": "已完成施工图审查的",
                "form": "copy",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "审查", "kind": "review", "post_code": "review", "limit_days": 4},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "出具审批意见", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "RF-002",
        "name": "人防工程竣工验收备案",
        "kind": "filing",
        "department_code": "RF",
        "window_code": "C06",
        "handling_type": "instant",
        "legal_limit": 0,
        "promised_limit": 0,
        "legal_basis": "《中华人民共和国人民防空法》第二十二条;《人民防空工程建设管理规定》。",
        "conditions": "人防工程已按批准的设计文件建成,建设单位已组织竣工验收。",
        "green_channel_eligible": True,
        "decided_at_window": True,
        "themes": ["construction"],
        "materials": [
            {"name": "人防工程竣工验收备案表", "copies": 2},
            {"name": "人防工程竣工验收报告"},
            {"name": "人防工程竣工图", "form": "electronic"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "备案", "kind": "decide", "post_code": "decide", "limit_days": 0},
        ],
    },
    {
        "code": "RF-003",
        "name": "防空地下室易地建设审批",
        "kind": "license",
        "department_code": "RF",
        "window_code": "C06",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 10,
        "legal_basis": "《中华人民共和国人民防空法》第二十二条;《人民防空工程建设管理规定》。",
        "conditions": "因地质、地形、施工条件等原因不宜修建防空地下室,或者应建面积较小不宜单独修建的民用建筑。",
        "fees": "按批准易地建设的应建面积收取防空地下室易地建设费,标准由省级价格主管部门核定。",
        "fee_basis": ("《关于规范防空地下室易地建设收费的规定》(计价格〔2000〕474号)"),
        "green_channel_eligible": True,
        "themes": ["construction"],
        "materials": [
            {"name": "防空地下室易地建设申请表"},
            {"name": "建设工程设计方案", "form": "copy"},
            {"name": "不宜修建防空地下室的说明及证明材料"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "现场踏勘", "kind": "review", "post_code": "review", "limit_days": 5, "on_site": False},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 2},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 2},
            {"name": "出具审批意见", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    # --- 气象局 -------------------------------------------------------------------------
    {
        "code": "QX-001",
        "name": "防雷装置设计审核",
        "kind": "license",
        "department_code": "QX",
        "window_code": "C07",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 5,
        "legal_basis": (
            "《中华人民共和国气象法》第三十一条;《气象灾害防御条例》第二十四条;"
            "《防雷装置设计审核和竣工验收规定》。"
        ),
        "conditions": "油库、气库、弹药库、化学品仓库、烟花爆竹、石化等易燃易爆建设工程和场所,雷电易发区内的矿区、旅游景点等需要单独安装雷电防护装置的场所。",
        "online_allowed": True,
        "green_channel_eligible": True,
        "deemed_approval_days": 3,
        "themes": ["construction"],
        "materials": [
            {"name": "防雷装置设计审核申请书"},
            {"name": "总规划平面图", "form": "copy"},
            {"name": "防雷装置施工图设计说明书、施工图设计图纸及相关资料"},
            {
                "name": "设计中所采用的防雷产品相关资料",
                "requirement": "conditional",
                "condition": "采用防雷产品的",
                "form": "copy",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "技术审查", "kind": "review", "post_code": "review", "limit_days": 3},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "出具核准意见书", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "QX-002",
        "name": "防雷装置竣工验收",
        "kind": "license",
        "department_code": "QX",
        "window_code": "C07",
        "handling_type": "promised",
        "legal_limit": 10,
        "promised_limit": 5,
        "legal_basis": (
            "《中华人民共和国气象法》第三十一条;《气象灾害防御条例》第二十四条;"
            "《防雷装置设计审核和竣工验收规定》。"
        ),
        "conditions": "防雷装置已按核准的设计方案施工完成,并经具有资质的检测机构检测合格。",
        "green_channel_eligible": True,
        "themes": ["construction"],
        "materials": [
            {"name": "防雷装置竣工验收申请书"},
            {"name": "防雷装置设计核准意见书", "form": "copy", "shared_result_item_code": "QX-001"},
            {"name": "防雷装置检测报告"},
            {"name": "防雷装置竣工图纸等技术资料", "form": "electronic"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "现场核实", "kind": "review", "post_code": "review", "limit_days": 3, "on_site": False},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "出具验收意见书", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "QX-003",
        "name": "升放无人驾驶自由气球或者系留气球活动审批",
        "kind": "license",
        "department_code": "QX",
        "window_code": "C07",
        "handling_type": "promised",
        "legal_limit": 5,
        "promised_limit": 2,
        "legal_basis": (
            "《国务院对确需保留的行政审批项目设定行政许可的决定》(国务院令第412号);《施放气球管理办法》。"
        ),
        "conditions": "施放单位具有施放气球资质,活动的时间、地点、数量符合安全要求。",
        "online_allowed": True,
        "themes": ["culture-tourism"],
        "materials": [
            {"name": "升放气球活动申请表"},
            {"name": "施放气球单位资质证", "form": "copy"},
            {"name": "施放作业人员资格证", "form": "copy"},
            {"name": "活动场地平面图和安全措施"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "审查", "kind": "review", "post_code": "review", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
        ],
    },
    # --- 水务局 -------------------------------------------------------------------------
    {
        "code": "SL-001",
        "name": "生产建设项目水土保持方案审批",
        "kind": "license",
        "department_code": "SL",
        "window_code": "C08",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 6,
        "legal_basis": (
            "《中华人民共和国水土保持法》第二十五条:在容易发生水土流失的区域开办可能造成水土流失的生产建设项目,"
            "生产建设单位应当编制水土保持方案,报县级以上人民政府水行政主管部门审批;第二十六条。"
        ),
        "conditions": "征占地面积或者挖填土石方总量达到编报水土保持方案标准的生产建设项目。",
        "online_allowed": True,
        "green_channel_eligible": True,
        "themes": ["construction", "environment"],
        "materials": [
            {"name": "水土保持方案审批申请"},
            {"name": "水土保持方案报告书(报告表)"},
            {
                "name": "水土保持方案技术评审意见",
                "requirement": "conditional",
                "condition": "编制报告书的",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "技术审查", "kind": "review", "post_code": "review", "limit_days": 3},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "出具批复", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "SL-002",
        "name": "城镇污水排入排水管网许可",
        "kind": "license",
        "department_code": "SL",
        "window_code": "C08",
        "handling_type": "promised",
        "legal_limit": 15,
        "promised_limit": 5,
        "legal_basis": (
            "《城镇排水与污水处理条例》第二十一条:从事工业、建筑、餐饮、医疗等活动的企业事业单位、个体工商户"
            "向城镇排水设施排放污水的,应当向城镇排水主管部门申请领取污水排入排水管网许可证;"
            "《城镇污水排入排水管网许可管理办法》(住房和城乡建设部令第21号)。"
        ),
        "conditions": "排放污水的水质符合国家或者地方规定的排放标准,已按规定建设预处理设施和检测井。",
        "online_allowed": True,
        "green_channel_eligible": True,
        "deemed_approval_days": 2,
        "themes": ["construction", "business-operation"],
        "materials": [
            {"name": "污水排入排水管网许可申请表"},
            {"name": "排水户内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明"},
            {"name": "排水水质、水量检测报告"},
            {
                "name": "预处理设施的工艺说明",
                "requirement": "conditional",
                "condition": "按规定需要建设预处理设施的",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "现场核查", "kind": "review", "post_code": "review", "limit_days": 2, "on_site": False},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 1},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "发证", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    {
        "code": "SL-003",
        "name": "取水许可",
        "kind": "license",
        "department_code": "SL",
        "window_code": "C08",
        "handling_type": "promised",
        "legal_limit": 45,
        "promised_limit": 20,
        "legal_basis": (
            "《中华人民共和国水法》第七条、第四十八条;《取水许可和水资源费征收管理条例》(国务院令第460号)。"
        ),
        "conditions": "利用取水工程或者设施直接从江河、湖泊或者地下取用水资源,取水量在本级审批权限内。",
        "fees": "不收费(水资源费或者水资源税按规定另行缴纳)",
        "online_allowed": True,
        "green_channel_eligible": True,
        "themes": ["construction", "business-operation"],
        "materials": [
            {"name": "取水许可申请书"},
            {"name": "建设项目水资源论证报告书(表)"},
            {"name": "与第三者利害关系的相关说明"},
            {"name": "项目核准或者备案文件", "form": "copy", "shared_result_item_code": "FG-002"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "论证审查", "kind": "review", "post_code": "review", "limit_days": 12, "on_site": False},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 4},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 2},
            {"name": "发证", "kind": "certify", "post_code": "certify", "limit_days": 2},
        ],
    },
    {
        "code": "SL-004",
        "name": "河道管理范围内建设项目工程建设方案审批",
        "kind": "license",
        "department_code": "SL",
        "window_code": "C08",
        "handling_type": "promised",
        "legal_limit": 20,
        "promised_limit": 10,
        "legal_basis": "《中华人民共和国水法》第三十八条;《中华人民共和国河道管理条例》第十一条。",
        "conditions": "在河道管理范围内建设桥梁、码头、道路、渡口、管道、缆线等建筑物及设施,工程建设方案符合防洪标准和岸线规划。",
        "green_channel_eligible": True,
        "themes": ["construction"],
        "materials": [
            {"name": "河道管理范围内建设项目申请书"},
            {"name": "建设项目所依据的文件", "form": "copy"},
            {"name": "建设项目涉及河道与防洪部分的方案"},
            {"name": "防洪评价报告"},
            {"name": "占用河道管理范围内土地情况及防御洪涝的设防标准与措施说明"},
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "现场踏勘", "kind": "review", "post_code": "review", "limit_days": 6, "on_site": False},
            {"name": "审核", "kind": "approve", "post_code": "approve", "limit_days": 2},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "出具审批意见", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
    # --- 消防救援支队 -------------------------------------------------------------------
    {
        "code": "XF-001",
        "name": "公众聚集场所投入使用、营业前消防安全检查",
        "kind": "license",
        "department_code": "XF",
        "window_code": "B07",
        "handling_type": "promised",
        "legal_limit": 10,
        "promised_limit": 5,
        "legal_basis": (
            "《中华人民共和国消防法》第十五条:公众聚集场所投入使用、营业前,建设单位或者使用单位应当向场所所在地"
            "的县级以上地方人民政府消防救援机构申请消防安全检查;消防救援机构应当自受理申请之日起十个工作日内,"
            "根据消防技术标准和管理规定,对该场所进行检查。"
        ),
        "conditions": "宾馆、饭店、商场、集贸市场、客运车站候车室、体育场馆、会堂、公共娱乐场所等公众聚集场所,消防设施符合消防技术标准。",
        "online_allowed": True,
        "themes": ["business-operation", "culture-tourism"],
        "materials": [
            {"name": "公众聚集场所投入使用、营业前消防安全检查申请表"},
            {"name": "营业执照", "form": "copy", "shared_result_item_code": "SCJG-001"},
            {"name": "消防安全制度、灭火和应急疏散预案、场所平面布置图"},
            {"name": "员工岗前消防安全教育培训记录", "form": "copy"},
            {
                "name": "特殊建设工程消防验收意见书或者备案凭证",
                "requirement": "conditional",
                "condition": "依法需要消防验收或者备案的",
                "form": "copy",
                "shared_result_item_code": "ZJ-003",
            },
        ],
        "steps": [
            {"name": "受理", "kind": "accept", "post_code": "accept", "limit_days": 0},
            {"name": "现场检查", "kind": "review", "post_code": "review", "limit_days": 3, "on_site": False},
            {"name": "决定", "kind": "decide", "post_code": "decide", "limit_days": 1},
            {"name": "制发许可文书", "kind": "certify", "post_code": "certify", "limit_days": 1},
        ],
    },
]
