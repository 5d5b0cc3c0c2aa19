"""The demo hall (issue 16), after the appointments part (the business types):

* the accounts of `demo.data.accounts` WINDOW_CLERKS (a clerk at every window that had none) and
  HALL_DEVICE_AND_LEADER (`kiosk`, the ticket dispenser; `groupleader`), created the way the
  demo loader creates its accounts (one password hash, an audit record, the roles service);
* every business type served also at the general windows Z01 and Z02 (一窗受理), its tickets
  issued 08:30–17:30, an icon for the dispenser;
* the hall's notices (through `hall.notices`);
* the queue's history (`demo.hall_history`): the last 20 working days and today up to now, once.

Idempotent: a second run changes nothing. The lead calls `load(center)` from the demo loader.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from onewindow.appointments.models import BusinessType
from onewindow.calendar import selectors as calendar_selectors
from onewindow.core import clock
from onewindow.demo import hall_history
from onewindow.demo.accounts import demo_account_create
from onewindow.demo.data import hall as data
from onewindow.demo.data.accounts import HALL_DEVICE_AND_LEADER, WINDOW_CLERKS
from onewindow.hall.models import HallNotice
from onewindow.hall.notices import hall_notice_create
from onewindow.org.models import Center, Department, Post, User, Window

NOTICE_AUTHOR = "centeradmin"


def hall_account_specs(windows: dict[str, Window]) -> list[dict[str, Any]]:
    """The window clerks (of the windows the center has) and the device and group leader."""
    specs: list[dict[str, Any]] = []
    for code, full_name in WINDOW_CLERKS.items():
        window = windows.get(code)
        if window is None:
            continue
        specs.append(
            {
                "username": f"clerk-{code.lower()}",
                "full_name": full_name,
                "roles": ["window_clerk"],
                "posts": ["accept"],
                "department_id": window.department_id,
                "window_id": window.pk,
                "data_scope": "department" if window.department_id else "center",
            }
        )
    for spec in HALL_DEVICE_AND_LEADER:
        specs.append({**spec, "department_id": None, "window_id": None})
    return specs


def _accounts(center: Center, windows: dict[str, Window]) -> int:
    specs = hall_account_specs(windows)
    existing = set(
        User.objects.filter(username__in=[s["username"] for s in specs]).values_list("username", flat=True)
    )
    posts = {p.code: p for p in Post.objects.all()}
    password_hash: str | None = None
    created = 0
    for spec in specs:
        if spec["username"] in existing:
            continue
        _user, password_hash = demo_account_create(
            spec=spec,
            center=center,
            department_id=spec["department_id"],
            window_id=spec["window_id"],
            posts=[posts[code] for code in spec["posts"] if code in posts],
            password_hash=password_hash,
        )
        created += 1
    return created


def _department_codes(center: Center) -> dict[int, str]:
    return dict(Department.objects.filter(center=center).values_list("pk", "code"))


def _businesses(center: Center, windows: dict[str, Window]) -> int:
    """Z01 and Z02 serve every business type; tickets 08:30–17:30; an icon. Returns the number
    of business types changed."""
    general = [windows[code] for code in data.GENERAL_WINDOWS if code in windows]
    departments = _department_codes(center)
    changed = 0
    for business in BusinessType.objects.filter(center=center).prefetch_related("windows"):
        served = {w.pk for w in business.windows.all()}
        missing = [w for w in general if w.pk not in served]
        key = hall_history.business_department_code(business, departments)
        wanted = {"opens_at": data.OPENS, "closes_at": data.CLOSES, "icon": data.ICONS.get(key, "")}
        differs = [name for name, value in wanted.items() if getattr(business, name) != value]
        if missing:
            business.windows.add(*missing)
        if differs:
            for name in differs:
                setattr(business, name, wanted[name])
            business.save(update_fields=differs)
        changed += bool(missing or differs)
    return changed


def _notices(center: Center) -> int:
    if HallNotice.objects.filter(center=center).exists():
        return 0
    author = User.objects.filter(username=NOTICE_AUTHOR, center=center, is_active=True).first()
    if author is None:
        return 0
    for spec in data.NOTICES:
        hall_notice_create(center=center, actor=author, text=spec["text"], position=spec["position"])
    start = calendar_selectors.add_working_days(clock.today(), 1)
    hall_notice_create(
        center=center,
        actor=author,
        text=data.HOLIDAY_NOTICE,
        position=len(data.NOTICES),
        starts_on=start,
        ends_on=start + dt.timedelta(days=6),
    )
    return len(data.NOTICES) + 1


def load(center: Center) -> dict[str, int]:
    windows = {w.code: w for w in Window.objects.filter(center=center, active=True)}
    counts = {
        "hall_accounts": _accounts(center, windows),
        "hall_business_types": _businesses(center, windows),
        "hall_notices": _notices(center),
    }
    counts.update(hall_history.load(center, departments=_department_codes(center)))
    return counts
