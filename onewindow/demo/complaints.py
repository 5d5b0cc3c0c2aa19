"""Demo complaints (投诉, idempotent): a handful in various states, written through the services
with the clock frozen at moments of the last working days, so the worklist, the complaint page,
the public lookup and the supervision board have something to show.

1. desk, against window B02 (SCJG): answered, called back, judged valid with an accountability
   record;
2. phone, on-the-spot coordination: answered the same day, closed;
3. online, anonymous: registered, waiting to be assigned;
4. 12345 hotline: assigned to SW, being investigated (yellow on its last day);
5. desk: not accepted (already in administrative review), the reply sent anyway;
6. desk: assigned to SW, returned as mis-routed, reassigned to SCJG and answered.

Called as `load(center)`; a second run adds nothing (the demo titles are looked up first).
The complainants' phones are fictional (139 0000 01xx).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from onewindow.calendar.selectors import is_working_day
from onewindow.complaints import services
from onewindow.complaints.models import Complaint
from onewindow.core import clock
from onewindow.org.models import Center, User

TITLES = (
    "市场监管窗口工作人员态度生硬",
    "取号机故障无人处理",
    "网上申报系统多次提交失败",
    "纳税申报退回理由不明确",
    "对行政处罚决定不服",
    "食品经营许可办理时间过长",
)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clock.zone())


def _last_working_days(n: int) -> list[dt.date]:
    """The `n` working days before today, oldest first."""
    days: list[dt.date] = []
    day = clock.today() - dt.timedelta(days=1)
    while len(days) < n:
        if is_working_day(day):
            days.append(day)
        day -= dt.timedelta(days=1)
    return list(reversed(days))


def _act(c: Complaint, action: str, actor: User, moment: dt.datetime, **params: Any) -> Complaint:
    with clock.frozen_at(moment):
        c.refresh_from_db()
        return services.complaint_act(
            number=c.number, action=action, version=c.version, actor=actor, **params
        )


def load(center: Center) -> dict[str, Any]:
    if Complaint.objects.filter(center=center, title__in=TITLES).exists():
        return {"complaints": 0}
    users = {u.username: u for u in User.objects.filter(center=center, is_active=True)}
    clerk, supervisor = users.get("clerk"), users.get("supervisor")
    scjg, sw = users.get("scjg-chief"), users.get("sw-chief")
    if clerk is None or supervisor is None or scjg is None or sw is None:
        return {"complaints": 0}
    d = _last_working_days(6)
    today = clock.today()
    made = 0

    def register(moment: dt.datetime, **kw: Any) -> Complaint:
        nonlocal made
        with clock.frozen_at(moment):
            made += 1
            return services.complaint_register(actor=clerk, **kw).complaint

    # 1. answered, called back, valid with an accountability record
    c = register(
        _at(d[0], 9, 30),
        title=TITLES[0],
        content="办理营业执照变更时，B02窗口工作人员说话生硬，不解释退件原因。",
        name="周建国",
        phone="13900000101",
        respondent_window="B02",
        department="SCJG",
    )
    _act(c, "investigate", scjg, _at(d[0], 11))
    _act(
        c,
        "answer",
        scjg,
        _at(d[2], 15),
        answer="经调取窗口录像核实，工作人员服务用语不规范，已批评教育并当面致歉。",
    )
    _act(c, "callback", supervisor, _at(d[3], 10), satisfaction="satisfied", note="投诉人表示满意。")
    _act(
        c,
        "judge",
        supervisor,
        _at(d[3], 10, 30),
        valid=True,
        reason="经核实属实，服务态度问题。",
        accountability=True,
    )
    # 2. on-the-spot coordination, answered the same day
    c = register(
        _at(d[1], 10),
        title=TITLES[1],
        content="一楼取号机卡纸，等了二十分钟无人处理。",
        kind="on_the_spot",
        source="phone",
        name="吴敏",
        phone="13900000102",
        department="SCJG",
    )
    _act(c, "answer", scjg, _at(d[1], 10, 40), answer="已现场更换纸卷并安排导服人员协助取号。")
    _act(c, "callback", scjg, _at(d[1], 16), satisfaction="basically")
    # 3. online, anonymous, waiting to be assigned
    with clock.frozen_at(_at(today, 8, 15) if is_working_day(today) else _at(d[5], 16)):
        services.complaint_submit_public(
            center=center, title=TITLES[2], content="网上办事大厅提交材料时多次提示系统繁忙。", respondent=""
        )
        made += 1
    # 4. 12345 hotline, being investigated
    c = register(
        _at(d[1], 14),
        title=TITLES[3],
        content="12345转来：纳税申报被退回，但退回理由只写了“资料不全”。",
        source="hotline_12345",
        name="郑磊",
        phone="13900000104",
        respondent_department="SW",
        department="SW",
    )
    _act(c, "investigate", sw, _at(d[2], 9))
    # 5. not accepted
    c = register(
        _at(d[4], 11),
        title=TITLES[4],
        content="对市场监管局的行政处罚决定不服，要求撤销。",
        name="冯丽",
        phone="13900000105",
        respondent_department="SCJG",
    )
    _act(
        c,
        "not_accept",
        supervisor,
        _at(d[4], 14),
        reason="review_or_litigation",
        reply="该事项已申请行政复议，请等待复议结果。",
    )
    # 6. mis-routed, returned, reassigned and answered
    c = register(
        _at(d[3], 9),
        title=TITLES[5],
        content="食品经营许可申请已经十个工作日仍未办结。",
        name="陈晨",
        phone="13900000106",
        department="SW",
    )
    _act(c, "return", sw, _at(d[3], 10), reason="食品经营许可由市场监管局办理，非税务局职责。")
    _act(c, "assign", supervisor, _at(d[3], 11), department="SCJG")
    _act(c, "answer", scjg, _at(d[5], 15), answer="经查该申请在补正期间暂停计时，已电话告知补正要求。")
    return {"complaints": made}
