"""The demo organisation: a center hierarchy, the demo city center's departments, windows, posts.

All names, addresses and phone numbers are fictional (phones in the 000-12345 range).
"""

from __future__ import annotations

# The center that holds the departments, windows, staff and catalog.
DEMO_CENTER_CODE = "SFS"

# Parents come before their children.
CENTERS: list[dict] = [
    {
        "code": "SFP",
        "name": "示范省政务服务中心",
        "level": "province",
        "parent_code": None,
        "address": "示范省省会市中山路1号",
        "phone": "000-12345-000",
        "opening_hours": "周一至周五 9:00-12:00, 13:30-17:00",
    },
    {
        "code": "SFS",
        "name": "示范市政务服务中心",
        "level": "city",
        "parent_code": "SFP",
        "address": "示范市新城区市民大道88号市民中心",
        "phone": "000-12345-100",
        "opening_hours": "周一至周五 8:30-12:00, 13:30-17:30; 周六 9:00-12:00 (延时服务可预约)",
    },
    {
        "code": "SFQH",
        "name": "示范市清河县政务服务中心",
        "level": "county",
        "parent_code": "SFS",
        "address": "清河县城关镇解放路16号",
        "phone": "000-12345-300",
        "opening_hours": "周一至周五 8:30-12:00, 14:00-17:30",
    },
    {
        "code": "SFLX",
        "name": "清河县柳溪镇便民服务中心",
        "level": "township",
        "parent_code": "SFQH",
        "address": "清河县柳溪镇人民路3号",
        "phone": "000-12345-400",
        "opening_hours": "周一至周五 8:30-12:00, 14:00-17:30",
    },
]

# The demo city center's departments (进驻部门). ZJJ is the quality and technical supervision
# bureau of the 2009-era enterprise-setup bundle; its functions have since moved to SCJG.
DEPARTMENTS: list[dict] = [
    {"code": "SCJG", "name": "示范市市场监督管理局", "short_name": "市场监管", "phone": "000-12345-101"},
    {"code": "SW", "name": "国家税务总局示范市税务局", "short_name": "税务", "phone": "000-12345-102"},
    {"code": "ZJJ", "name": "示范市质量技术监督局", "short_name": "质监", "phone": "000-12345-103"},
    {"code": "GA", "name": "示范市公安局", "short_name": "公安", "phone": "000-12345-104"},
    {"code": "XF", "name": "示范市消防救援支队", "short_name": "消防", "phone": "000-12345-105"},
    {"code": "WJ", "name": "示范市卫生健康委员会", "short_name": "卫健", "phone": "000-12345-106"},
    {"code": "ZJ", "name": "示范市住房和城乡建设局", "short_name": "住建", "phone": "000-12345-107"},
    {"code": "ZRZY", "name": "示范市自然资源和规划局", "short_name": "自然资源", "phone": "000-12345-108"},
    {"code": "STHJ", "name": "示范市生态环境局", "short_name": "生态环境", "phone": "000-12345-109"},
    {"code": "RF", "name": "示范市人民防空办公室", "short_name": "人防", "phone": "000-12345-110"},
    {"code": "QX", "name": "示范市气象局", "short_name": "气象", "phone": "000-12345-111"},
    {"code": "JT", "name": "示范市交通运输局", "short_name": "交通", "phone": "000-12345-112"},
    {"code": "FG", "name": "示范市发展和改革委员会", "short_name": "发改", "phone": "000-12345-113"},
    {"code": "WL", "name": "示范市文化广电旅游局", "short_name": "文广旅", "phone": "000-12345-114"},
    {"code": "RS", "name": "示范市人力资源和社会保障局", "short_name": "人社", "phone": "000-12345-115"},
    {"code": "MZ", "name": "示范市民政局", "short_name": "民政", "phone": "000-12345-116"},
    {"code": "SL", "name": "示范市水务局", "short_name": "水务", "phone": "000-12345-117"},
]

# Halls: 一楼 综合业务厅 (A, general windows Z), 一楼 涉车业务厅 (D), 二楼 涉企业务厅 (B),
# 三楼 基建业务厅 (C). A window with department_code None is a general window (综合窗口).
WINDOWS: list[dict] = [
    {"code": "Z01", "name": "综合窗口1 (一窗受理)", "department_code": None, "floor": "一楼综合业务厅"},
    {"code": "Z02", "name": "综合窗口2 (一窗受理)", "department_code": None, "floor": "一楼综合业务厅"},
    {
        "code": "Z03",
        "name": "综合窗口3 (企业设立并联审批)",
        "department_code": None,
        "floor": "二楼涉企业务厅",
    },
    {
        "code": "Z04",
        "name": "综合窗口4 (企业设立并联审批)",
        "department_code": None,
        "floor": "二楼涉企业务厅",
    },
    {
        "code": "Z05",
        "name": "综合窗口5 (工业建设项目并联审批)",
        "department_code": None,
        "floor": "三楼基建业务厅",
    },
    {"code": "Z06", "name": "绿色通道窗口 (重点项目)", "department_code": None, "floor": "三楼基建业务厅"},
    {"code": "A01", "name": "卫生健康窗口", "department_code": "WJ", "floor": "一楼综合业务厅"},
    {"code": "A02", "name": "文化广电旅游窗口", "department_code": "WL", "floor": "一楼综合业务厅"},
    {"code": "A03", "name": "公安户政窗口", "department_code": "GA", "floor": "一楼综合业务厅"},
    {"code": "A04", "name": "公安出入境窗口", "department_code": "GA", "floor": "一楼综合业务厅"},
    {"code": "A05", "name": "人力社保窗口 (就业)", "department_code": "RS", "floor": "一楼综合业务厅"},
    {"code": "A06", "name": "人力社保窗口 (社保)", "department_code": "RS", "floor": "一楼综合业务厅"},
    {"code": "A07", "name": "民政窗口", "department_code": "MZ", "floor": "一楼综合业务厅"},
    {"code": "B01", "name": "市场监管窗口 (登记注册)", "department_code": "SCJG", "floor": "二楼涉企业务厅"},
    {"code": "B02", "name": "市场监管窗口 (食品药品)", "department_code": "SCJG", "floor": "二楼涉企业务厅"},
    {"code": "B03", "name": "市场监管窗口 (特种设备)", "department_code": "SCJG", "floor": "二楼涉企业务厅"},
    {"code": "B04", "name": "税务窗口 (综合业务)", "department_code": "SW", "floor": "二楼涉企业务厅"},
    {"code": "B05", "name": "税务窗口 (发票业务)", "department_code": "SW", "floor": "二楼涉企业务厅"},
    {"code": "B06", "name": "质监窗口 (组织机构代码)", "department_code": "ZJJ", "floor": "二楼涉企业务厅"},
    {"code": "B07", "name": "消防窗口", "department_code": "XF", "floor": "二楼涉企业务厅"},
    {"code": "C01", "name": "住建窗口 (施工许可)", "department_code": "ZJ", "floor": "三楼基建业务厅"},
    {"code": "C02", "name": "住建窗口 (消防审验)", "department_code": "ZJ", "floor": "三楼基建业务厅"},
    {"code": "C03", "name": "自然资源窗口 (规划)", "department_code": "ZRZY", "floor": "三楼基建业务厅"},
    {
        "code": "C04",
        "name": "自然资源窗口 (不动产登记)",
        "department_code": "ZRZY",
        "floor": "三楼基建业务厅",
    },
    {"code": "C05", "name": "生态环境窗口", "department_code": "STHJ", "floor": "三楼基建业务厅"},
    {"code": "C06", "name": "人防窗口", "department_code": "RF", "floor": "三楼基建业务厅"},
    {"code": "C07", "name": "气象窗口 (防雷)", "department_code": "QX", "floor": "三楼基建业务厅"},
    {"code": "C08", "name": "水务窗口", "department_code": "SL", "floor": "三楼基建业务厅"},
    {"code": "C09", "name": "发展改革窗口", "department_code": "FG", "floor": "三楼基建业务厅"},
    {"code": "D01", "name": "交通运政窗口", "department_code": "JT", "floor": "一楼涉车业务厅"},
    {"code": "D02", "name": "交通运政窗口 (从业资格)", "department_code": "JT", "floor": "一楼涉车业务厅"},
    {"code": "D03", "name": "公安车管窗口", "department_code": "GA", "floor": "一楼涉车业务厅"},
]

# Posts (岗位) are shared by every center.
POSTS: list[dict] = [
    {"code": "accept", "name": "受理岗", "position": 0},
    {"code": "review", "name": "审查岗", "position": 1},
    {"code": "approve", "name": "审核岗", "position": 2},
    {"code": "decide", "name": "决定岗", "position": 3},
    {"code": "certify", "name": "制证岗", "position": 4},
    {"code": "report", "name": "上报岗", "position": 5},
]
