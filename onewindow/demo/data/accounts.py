"""The demo center's staff accounts. Every name is fictional; all share the demo password.

These accounts must never exist in a production install: `load_demo` refuses to run under the
production settings profile.
"""

from __future__ import annotations

DEMO_PASSWORD = "onewindow-demo"

# Center-wide accounts. data_scope: "center" (whole center) or "department" (own department).
CENTER_ACCOUNTS: list[dict] = [
    {
        "username": "clerk",
        "full_name": "林晓燕",
        "roles": ["window_clerk"],
        "posts": ["accept"],
        "department_code": None,
        "window_code": "Z01",
        "data_scope": "center",
    },
    {
        "username": "clerk2",
        "full_name": "韩雪梅",
        "roles": ["window_clerk"],
        "posts": ["accept"],
        "department_code": "SCJG",
        "window_code": "B01",
        "data_scope": "department",
    },
    {
        "username": "supervisor",
        "full_name": "郑国栋",
        "roles": ["supervisor"],
        "posts": [],
        "department_code": None,
        "window_code": None,
        "data_scope": "center",
    },
    {
        "username": "centeradmin",
        "full_name": "许文静",
        "roles": ["center_admin"],
        "posts": [],
        "department_code": None,
        "window_code": None,
        "data_scope": "center",
    },
    {
        "username": "head",
        "full_name": "孙建华",
        "roles": ["government_head"],
        "posts": [],
        "department_code": None,
        "window_code": None,
        "data_scope": "center",
    },
    {
        "username": "auditor",
        "full_name": "邓丽华",
        "roles": ["auditor"],
        "posts": [],
        "department_code": None,
        "window_code": None,
        "data_scope": "center",
    },
    {
        "username": "sysadmin",
        "full_name": "彭志远",
        "roles": ["system_admin"],
        "posts": [],
        "department_code": None,
        "window_code": None,
        "data_scope": "center",
    },
    {
        "username": "secadmin",
        "full_name": "蔡永强",
        "roles": ["security_admin"],
        "posts": [],
        "department_code": None,
        "window_code": None,
        "data_scope": "center",
    },
]

# Per department: the full names of its reviewer, approver and chief representative (首席代表).
# The accounts are `<code lower>-reviewer` (reviewer role, review post), `<code lower>-approver`
# (approver role, approve + decide + certify posts) and `<code lower>-chief` (chief_representative
# role, decide + report posts, seated at the department's first window).
DEPARTMENT_STAFF: dict[str, tuple[str, str, str]] = {
    "SCJG": ("王建华", "李秀英", "张伟民"),
    "SW": ("刘志刚", "陈桂兰", "杨海涛"),
    "ZJJ": ("赵明亮", "黄淑珍", "周立新"),
    "GA": ("吴俊峰", "徐春梅", "孙宏伟"),
    "XF": ("马骏", "朱晓红", "胡振国"),
    "WJ": ("郭丽娟", "何建军", "高玉兰"),
    "ZJ": ("罗红军", "梁文华", "宋德明"),
    "ZRZY": ("谢海燕", "唐志勇", "冯少华"),
    "STHJ": ("于晓东", "董翠萍", "萧永平"),
    "RF": ("程建国", "曹月娥", "袁立峰"),
    "QX": ("邓晓光", "傅春燕", "沈国强"),
    "JT": ("曾庆华", "吕秀芳", "苏建平"),
    "FG": ("卢振华", "蒋慧敏", "魏长青"),
    "WL": ("贾思远", "丁雅琴", "薛文博"),
    "RS": ("叶志强", "阎淑华", "余德胜"),
    "MZ": ("潘玉梅", "杜建新", "戴素芬"),
    "SL": ("夏永刚", "钟丽萍", "汪海波"),
}

# The hall (issue 16), loaded by `onewindow.demo.hall` after the appointments: a clerk (受理岗) at
# every window that has none among the accounts above (`clerk-<window code in lower case>`, in
# the window's department), the ticket dispenser's device account and the window group leader
# (窗口组长). Kept apart from CENTER_ACCOUNTS so the case history keeps its cast.
WINDOW_CLERKS: dict[str, str] = {
    "Z02": "陈思琪",
    "Z03": "刘佳怡",
    "Z04": "王梓涵",
    "Z05": "张雨桐",
    "Z06": "李浩然",
    "A01": "黄欣怡",
    "A02": "赵子轩",
    "A03": "周晓军",
    "A04": "吴婷婷",
    "A05": "徐丽娜",
    "A06": "孙明辉",
    "A07": "胡晓梅",
    "B02": "朱家豪",
    "B03": "高静怡",
    "B04": "林志鹏",
    "B05": "何雅婷",
    "B06": "郭俊杰",
    "B07": "马文涛",
    "C01": "罗雪晴",
    "C02": "梁振宇",
    "C03": "宋佳慧",
    "C04": "郑雨萱",
    "C05": "谢晨阳",
    "C06": "韩冬梅",
    "C07": "唐思远",
    "C08": "冯晓峰",
    "C09": "于婉清",
    "D01": "董志华",
    "D02": "萧文彬",
    "D03": "程立伟",
}

HALL_DEVICE_AND_LEADER: list[dict] = [
    {
        "username": "kiosk",
        "full_name": "一楼取号机",
        "roles": ["ticket_dispenser"],
        "posts": [],
        "department_code": None,
        "window_code": None,
        "data_scope": "center",
    },
    {
        "username": "groupleader",
        "full_name": "曹丽君",
        "roles": ["group_leader"],
        "posts": [],
        "department_code": None,
        "window_code": None,
        "data_scope": "center",
    },
]
