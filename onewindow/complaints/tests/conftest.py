"""Fixtures of the complaints tests: the cases tests' organisation and 2026 calendar, and a
helper registering a complaint at the desk."""

from __future__ import annotations

from typing import Any

from onewindow.cases.tests.conftest import at, calendar_2026, cx, local  # noqa: F401  (fixtures, helpers)
from onewindow.complaints import services
from onewindow.complaints.models import Complaint


def register(org: Any, *, user: str = "clerk", **kw: Any) -> services.Registered:
    params: dict[str, Any] = {
        "title": "窗口人员态度差",
        "content": "办理营业执照时窗口人员态度生硬，我的电话13912345678。",
        "name": "王五",
        "phone": "13900000005",
        "id_number": "110101199003071234",
        "respondent_window": "A01",
        **kw,
    }
    return services.complaint_register(actor=org.user(user), **params)


def act(complaint: Complaint, action: str, user: Any, **params: Any) -> Complaint:
    complaint.refresh_from_db()
    return services.complaint_act(
        number=complaint.number, action=action, version=complaint.version, actor=user, **params
    )
