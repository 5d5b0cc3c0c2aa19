"""The demo hall's data (onewindow.demo.hall): opening hours, icons, the daily volume of tickets
per business type, the hourly curve of arrivals, the notices. Fictional throughout."""

from __future__ import annotations

import datetime as dt

SEED = 20261208
HISTORY_DAYS = 20  # working days before today

# The ticket dispenser issues tickets from 08:30 to 17:30; the windows open 08:30–12:00 and
# 13:30–17:30 (the lunch break is a closed period of the ledger).
OPENS = dt.time(8, 30)
CLOSES = dt.time(17, 30)
WINDOW_PERIODS = ((dt.time(8, 30), dt.time(12)), (dt.time(13, 30), dt.time(17, 30)))

# The general windows every business type is also served at (一窗受理).
GENERAL_WINDOWS = ("Z01", "Z02")
# a general window takes a department's ticket only when that saves its holder this much time
GENERAL_DETOUR = dt.timedelta(minutes=20)

# Per department (the business type of its windows): the dispenser's icon and the tickets of an
# ordinary working day. "Z" is the general business type (综合业务).
ICONS: dict[str, str] = {
    "Z": "综合",
    "SCJG": "执照",
    "SW": "税务",
    "ZJJ": "质监",
    "GA": "户政",
    "XF": "消防",
    "WJ": "卫健",
    "ZJ": "住建",
    "ZRZY": "不动产",
    "STHJ": "环评",
    "RF": "人防",
    "QX": "气象",
    "JT": "交通",
    "FG": "发改",
    "WL": "文旅",
    "RS": "社保",
    "MZ": "民政",
    "SL": "水务",
}
DAILY_TICKETS: dict[str, int] = {
    "Z": 72,
    "SCJG": 34,
    "SW": 38,
    "GA": 44,
    "RS": 36,
    "ZRZY": 22,
    "ZJ": 14,
    "MZ": 13,
    "WJ": 12,
    "JT": 12,
}
DAILY_TICKETS_OTHER = 6

# Arrivals per local hour (relative weights): peaks 9–11 and 14–16; the 8 o'clock hour starts at
# 08:30 and the 17 o'clock one ends at 17:30 (the dispenser's hours).
HOURLY_WEIGHTS: dict[int, int] = {8: 4, 9: 16, 10: 22, 11: 9, 12: 1, 13: 3, 14: 16, 15: 19, 16: 7, 17: 2}

# Shares of the tickets.
PRIORITY_SHARE = 0.07  # V: elderly, disabled, military, green channel
APPOINTMENT_SHARE = 0.08  # Y: checked-in appointments
DESK_SHARE = 0.1  # issued by a clerk at the front desk instead of the dispenser
SKIP_SHARE = 0.05  # called three times, nobody came
VOID_SHARE = 0.015  # the print failed: voided, never called
PAUSE_SHARE = 0.25  # windows with one pause (暂停服务) on a day

SERVICE_MINUTES = (3, 20)  # service length, uniform-ish with more short ones
CALL_GAP_SECONDS = (20, 150)  # from the previous ticket's end to the next call
WALK_SECONDS = (40, 150)  # from the call to the start of service

PAUSE_MESSAGES = ("系统维护，请稍候", "临时暂停，马上回来", "材料复印中")
AWAY_MESSAGE = "到档案室调取档案"

NOTICES: list[dict] = [
    {
        "text": (
            "本中心工作时间：周一至周五上午 8:30—12:00，下午 13:30—17:30（法定节假日除外），"
            "17:30 后停止取号。"
        ),
        "position": 0,
    },
    {
        "text": (
            "请保管好您的排队小票，叫号三次未到视为过号，请重新取号；"
            "老年人、残疾人、军人可到导办台领取优先号。"
        ),
        "position": 1,
    },
    {
        "text": "预约办事群众请在预约时段前后 15 分钟内到取号机扫描预约码签到，领取 Y 字头号票。",
        "position": 2,
    },
]
# a notice shown only on some days (from the next working day for a week)
HOLIDAY_NOTICE = "不动产登记窗口延时服务至 18:30，请通过网上办事大厅预约后前来办理。"
