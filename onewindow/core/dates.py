"""Dates as notices print them: one place for the staff pages' filters (web/templatetags/
case_format.py) and the notices' PDF (cases/notice_pdf.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


def as_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime (its local date) or an ISO string; None otherwise."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def cn_date(value: Any) -> str:
    """2026-12-07 → "2026年12月7日" (the form used under a seal); anything that is not a date is
    shown as it is."""
    day = as_date(value)
    if day is None:
        return "" if value is None else str(value)
    return f"{day.year}年{day.month}月{day.day}日"
