"""Demo attendance (issue 16 §4): the seed-003 rule, two terminals with documented keys, the
window clerks' clock records over the last 20 working days, and a few patrol entries.

Everything goes through the services (at moments set with `clock.frozen_at`). Idempotent: each
part is skipped when it is there already.

Terminal keys (public, demo only): `owt_demo_terminal_1f` (大厅一楼考勤机) and
`owt_demo_terminal_2f` (大厅二楼考勤机), for
`curl -H "Authorization: Device owt_demo_terminal_1f" … /api/v1/attendance/clock`.
"""

from __future__ import annotations

import datetime as dt
import random

from onewindow.attendance import devices, rules
from onewindow.attendance.clock import clock_record
from onewindow.attendance.models import AttendanceDevice, AttendanceRule, ClockRecord, PatrolEntry
from onewindow.attendance.patrol import patrol_entry_create
from onewindow.calendar.selectors import is_working_day
from onewindow.core import clock
from onewindow.org.models import Center, User

TERMINALS = (("owt_demo_terminal_1f", "大厅一楼考勤机"), ("owt_demo_terminal_2f", "大厅二楼考勤机"))
DAYS = 20


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


def load(center: Center) -> dict[str, int]:
    made = {"attendance_rules": 0, "attendance_terminals": 0, "clock_records": 0, "patrol_entries": 0}
    users = {u.username: u for u in User.objects.filter(center=center, is_active=True)}
    admin = users.get("centeradmin")
    days = _last_working_days(DAYS)
    if not AttendanceRule.objects.filter(center=center).exists():
        with clock.frozen_at(_at(days[0], 7)):
            rules.attendance_rule_create(
                center=center, valid_from=days[0], actor=admin
            )  # the seed-003 defaults
        made["attendance_rules"] = 1
    terminals: list[AttendanceDevice] = []
    for raw, name in TERMINALS:
        device = AttendanceDevice.objects.filter(key_digest=devices.key_digest(raw)).first()
        if device is None:
            with clock.frozen_at(_at(days[0], 7, 30)):
                device = devices.attendance_device_create(center=center, name=name, actor=admin, raw_key=raw)[
                    0
                ]
            made["attendance_terminals"] += 1
        terminals.append(device)
    clerks = sorted((u for u in users.values() if u.window_id), key=lambda u: u.username)
    live = [t for t in terminals if t.revoked_at is None and t.center_id == center.pk]
    if live and clerks and not ClockRecord.objects.filter(center=center, device__in=terminals).exists():
        made["clock_records"] = _clock(clerks, days, live)
    leaders = [u for name in ("groupleader", "supervisor") if (u := users.get(name)) is not None]
    if leaders and clerks and not PatrolEntry.objects.filter(center=center).exists():
        made["patrol_entries"] = _patrol(leaders, clerks, days)
    return made


def _clock(clerks: list[User], days: list[dt.date], terminals: list[AttendanceDevice]) -> int:
    made = 0

    def punch(user: User, kind: str, moment: dt.datetime, reason: str = "") -> None:
        nonlocal made
        with clock.frozen_at(moment):
            clock_record(
                user=user,
                kind=kind,
                method="fingerprint" if made % 9 else "face",
                reason=reason,
                device=terminals[made % len(terminals)],
            )
        made += 1

    for i, user in enumerate(clerks):
        # each clerk has one late day, one absence, one early leave and one early arrival (its
        # reason still missing); the first clerk also forgot one clock out; the rest is normal
        n = len(days)
        forced = {(4 + 3 * i) % n: "late", (9 + 3 * i) % n: "absent", (13 + 3 * i) % n: "early"}
        forced.setdefault((6 + 3 * i) % n, "before_hours")
        for j, day in enumerate(days):
            rng = random.Random(user.pk * 7919 + day.toordinal())
            plan = forced.get(j, "normal")
            if plan == "absent":
                continue
            if plan == "late":
                punch(user, "in", _at(day, 9, rng.randint(5, 40)), "交通拥堵" if i % 2 else "")
            elif plan == "before_hours":
                punch(user, "in", _at(day, 7, rng.randint(30, 55)))
            else:
                punch(user, "in", _at(day, 8, rng.randint(10, 58)))
            if i == 0 and j == n - 3:
                continue  # the one missing clock out
            if plan == "early":
                punch(user, "out", _at(day, 16, rng.randint(20, 50)))
            elif j == (16 + 3 * i) % n:
                punch(user, "out", _at(day, 18, rng.randint(10, 50)), "办理加急件")  # stayed late
            else:
                punch(user, "out", _at(day, 17, rng.randint(2, 55)))
    return made


def _patrol(leaders: list[User], clerks: list[User], days: list[dt.date]) -> int:
    plan = [
        (days[-5], 10, 0, clerks[0], "in_order", False, ""),
        (days[-4], 15, 30, clerks[-1], "discipline", True, "工作时间在窗口内玩手机"),
        (days[-3], 10, 15, clerks[0], "in_order", False, "窗口秩序良好"),
        (days[-2], 14, 40, clerks[len(clerks) // 2], "absent", True, "离岗二十分钟，未挂去向牌"),
        (days[-1], 9, 30, clerks[-1], "environment", False, "叫号屏显示不全，已报修"),
    ]
    made = 0
    for k, (day, hh, mm, person, finding, violation, note) in enumerate(plan):
        at = _at(day, hh, mm)
        with clock.frozen_at(at):
            patrol_entry_create(
                leader=leaders[k % len(leaders)],
                at=at,
                window=person.window,
                person=person,
                finding=finding,
                violation=violation,
                note=note,
            )
        made += 1
    return made
