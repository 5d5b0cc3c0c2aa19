"""Browsing themes (主题) of the demo catalog, in the theme spec format."""

from __future__ import annotations

THEMES: list[dict] = [
    {"code": "business-setup", "name": "企业开办", "audience": "enterprise", "position": 1},
    {"code": "business-operation", "name": "经营许可", "audience": "enterprise", "position": 2},
    {"code": "tax", "name": "纳税服务", "audience": "enterprise", "position": 3},
    {"code": "construction", "name": "工程建设", "audience": "enterprise", "position": 4},
    {"code": "real-estate", "name": "不动产与住房", "audience": "both", "position": 5},
    {"code": "environment", "name": "生态环保", "audience": "enterprise", "position": 6},
    {"code": "transport", "name": "交通出行", "audience": "both", "position": 7},
    {"code": "health", "name": "医疗卫生", "audience": "both", "position": 8},
    {"code": "culture-tourism", "name": "文化旅游", "audience": "enterprise", "position": 9},
    {"code": "social-security", "name": "社会保障", "audience": "both", "position": 10},
    {"code": "employment", "name": "就业创业", "audience": "both", "position": 11},
    {"code": "household", "name": "公安户政", "audience": "person", "position": 12},
    {"code": "exit-entry", "name": "出入境", "audience": "person", "position": 13},
    {"code": "civil-affairs", "name": "婚姻与社会事务", "audience": "person", "position": 14},
]
