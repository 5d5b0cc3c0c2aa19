"""Fixtures of the cases tests: the 2026 holiday schedule and helpers to run cases."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from onewindow.calendar import selectors as calendar_selectors
from onewindow.calendar.models import CalendarDay, CalendarYear
from onewindow.cases import services
from onewindow.cases.applicants import resident_id_check

# 2026 as published by the State Council (the chinese-calendar package agrees).
HOLIDAYS_2026 = [
    "2026-01-01", "2026-01-02", "2026-01-03",
    "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21",
    "2026-02-22", "2026-02-23",
    "2026-04-04", "2026-04-05", "2026-04-06",
    "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
    "2026-06-19", "2026-06-20", "2026-06-21",
    "2026-09-25", "2026-09-26", "2026-09-27",
    "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07",
]  # fmt: skip
ADJUSTED_2026 = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]


def load_calendar_2026() -> None:
    year, _ = CalendarYear.objects.update_or_create(
        year=2026, defaults={"confirmed": True, "source": "tests"}
    )
    CalendarDay.objects.filter(year=year).delete()
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=dt.date.fromisoformat(d), year=year, kind=CalendarDay.Kind.HOLIDAY)
            for d in HOLIDAYS_2026
        ]
        + [
            CalendarDay(date=dt.date.fromisoformat(d), year=year, kind=CalendarDay.Kind.ADJUSTED_WORKDAY)
            for d in ADJUSTED_2026
        ]
    )
    calendar_selectors.invalidate()


@pytest.fixture
def calendar_2026(db: Any) -> None:
    load_calendar_2026()


def resident_id(body17: str = "11010119900307123") -> str:
    return body17 + resident_id_check(body17)


def applicant(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": resident_id(),
        "phone": "13812345678",
        "address": "测试市人民路1号",
    }
    data.update(overrides)
    return data


def all_materials(version: Any) -> list[dict[str, Any]]:
    return [{"material": m.pk, "received": True} for m in version.materials.all()]


def intake(org: Any, version: Any, action: str = "accept", **kwargs: Any) -> Any:
    params: dict[str, Any] = {
        "actor": org.user("clerk"),
        "item_code": version.item.code,
        "center": org.center,
        "applicant": applicant(),
        "channel": "window",
        "materials": all_materials(version),
        "action": action,
    }
    params.update(kwargs)
    return services.case_intake(**params)


def act(case: Any, action: str, user: Any, **params: Any) -> Any:
    case.refresh_from_db()
    return services.case_act(case=case, action=action, version=case.version, actor=user, **params)


# --- templates and a driver that walks a case to any status ------------------------------------

FULL = [
    ("受理", "accept", "accept", 1),
    ("审查", "review", "review", 4),
    ("审核", "approve", "approve", 2),
    ("决定", "decide", "decide", 2),
    ("制证", "certify", "certify", 1),
]
DECIDE_FIRST = [("决定", "decide", "decide", 2), ("制证", "certify", "certify", 1)]
DECIDE_THEN_PUBLICITY = [
    ("受理", "accept", "accept", 1),
    ("决定", "decide", "decide", 2),
    ("公示", "other", "review", 1),
    ("制证", "certify", "certify", 1),
]
CERTIFY_THEN_DELIVERY = [
    ("受理", "accept", "accept", 1),
    ("决定", "decide", "decide", 2),
    ("制证", "certify", "certify", 1),
    ("送达", "other", "review", 1),
]
NO_CERTIFY = [
    ("受理", "accept", "accept", 1),
    ("审查", "review", "review", 2),
    ("决定", "decide", "decide", 2),
]

HANDLER_BY_POST = {
    "accept": "clerk",
    "review": "scjg-reviewer",
    "approve": "scjg-approver",
    "decide": "scjg-approver",
    "certify": "scjg-certifier",
}


@pytest.fixture
def cx(org: Any, calendar_2026: None) -> Any:
    """The org fixture, the 2026 calendar, and a certificate clerk (制证岗) in SCJG."""
    from tests.factories import make_user

    org.users["scjg-certifier"] = make_user(
        "scjg-certifier",
        center=org.center,
        department=org.dept_a,
        roles=("reviewer",),
        posts=[org.posts["certify"]],
    )
    return org


def item(org: Any, steps: list[tuple[str, str, str, int]] | None = None, **kwargs: Any) -> Any:
    from tests.factories import make_item

    version = make_item(org, steps=steps or FULL, **kwargs)
    version.online_allowed = True
    version.green_channel_eligible = True
    version.save(update_fields=["online_allowed", "green_channel_eligible"])
    return version


def handler(org: Any, case: Any) -> Any:
    from onewindow.cases.models import CaseStep

    case.refresh_from_db()
    step = CaseStep.objects.select_related("post").get(case=case, position=case.active_step_position)
    return org.user(HANDLER_BY_POST[step.post.code])


def active_kind(case: Any) -> str:
    from onewindow.cases.models import CaseStep

    case.refresh_from_db()
    return CaseStep.objects.get(case=case, position=case.active_step_position).kind


def submit_online(org: Any, version: Any, **kwargs: Any) -> Any:
    params: dict[str, Any] = {
        "center": org.center,
        "item_code": version.item.code,
        "applicant": applicant(),
        "materials": all_materials(version),
    }
    params.update(kwargs)
    return services.case_submit_online(**params)


def decide(org: Any, case: Any, action: str = "grant") -> Any:
    """Pass every step up to the decision, then grant or deny."""
    while True:
        case.refresh_from_db()
        if active_kind(case) == "decide":
            params = {"reasons": "不符合条件"} if action == "deny" else {"opinion": "准予"}
            return act(case, action, handler(org, case), **params)
        case = act(case, "pass_step", handler(org, case), opinion="同意")


CORRECTION_NOTE = "缺少签字"


def items_of(version: Any, n: int = 1) -> list[dict[str, Any]]:
    return [{"material": m.pk, "note": CORRECTION_NOTE} for m in list(version.materials.all())[:n]]


def reach(org: Any, version: Any, status: str, *, extension_first: bool = False) -> Any:
    """A case of `version` in `status`, driven there through the services."""
    if status == "submitted":
        return submit_online(org, version)
    if status == "received":
        case = submit_online(org, version)
        return act(case, "pre_review_pass", org.user("clerk"))
    if status == "correction_requested":
        return intake(org, version, action="correct", correction_items=items_of(version))
    if status == "refused":
        return intake(org, version, action="refuse", note="不属于本中心受理范围")
    case = intake(org, version)
    if status == "accepted":
        if extension_first:
            case = act(case, "request_extension", handler(org, case), days=2, reason="需要核查")
        return case
    if status in ("withdrawn", "terminated"):
        who = org.user("clerk") if status == "withdrawn" else org.user("scjg-chief")
        return act(case, "withdraw" if status == "withdrawn" else "terminate", who, reason="申请人要求")
    if status in ("in_progress", "suspended", "correction_in_progress"):
        case = act(case, "pass_step", handler(org, case), opinion="同意")
        if extension_first:
            case = act(case, "request_extension", handler(org, case), days=2, reason="需要核查")
        if status == "suspended":
            case = act(
                case,
                "start_special_procedure",
                handler(org, case),
                kind="hearing",
                reason="听证",
                expected_working_days=5,
            )
        if status == "correction_in_progress":
            case = act(case, "request_processing_correction", handler(org, case), items=items_of(version))
        return case
    if status == "decided_denied":
        return decide(org, case, "deny")
    case = decide(org, case, "grant")
    if status == "decided_granted":
        return case
    if active_kind(case) != "certify":  # e.g. a publicity step between the decision and the certificate
        case = act(case, "pass_step", handler(org, case))
    case = act(case, "issue_certificate", handler(org, case), certificate_number="JY001")
    if status == "certificate_issued":
        return case
    case = act(case, "complete", org.user("clerk"))
    if status == "completed":
        return case
    assert status == "delivered"
    return act(case, "deliver", org.user("clerk"), method="mail", tracking_number="SF1234567890")


SH = ZoneInfo("Asia/Shanghai")


def at(moment: str) -> Any:
    """Freeze the clock at a local (Asia/Shanghai) time, e.g. at("2026-09-30 10:00")."""
    return time_machine.travel(dt.datetime.fromisoformat(moment).replace(tzinfo=SH), tick=False)


def local(moment: str) -> dt.datetime:
    return dt.datetime.fromisoformat(moment).replace(tzinfo=SH)
