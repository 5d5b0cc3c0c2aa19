"""The attendance rules as data (seed 003): one version per center from a date.

`rule_for(center, day)` answers the version valid on `day` (the latest `valid_from` on or before
it), or an unsaved rule with the seed-003 defaults when the center has none: clock in 08:00–09:00,
clock out 17:00–18:00, leave thresholds 5 / 10 / 20 per month / quarter / year, 0.20 points per
violation. `attendance_rule_create` adds a version; older versions stay, so days before the new
`valid_from` are still judged by the rule of their time.
"""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from onewindow.attendance.models import AttendanceRule
from onewindow.core import audit, clock
from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.org.validation import require, require_center_access

MANAGE = "attendance.manage_attendance_rules"
DEFAULTS: dict[str, Any] = {
    "clock_in_from": dt.time(8),
    "clock_in_until": dt.time(9),
    "clock_out_from": dt.time(17),
    "clock_out_until": dt.time(18),
    "month_threshold": 5,
    "quarter_threshold": 10,
    "year_threshold": 20,
    "violation_points": Decimal("0.20"),
}
MAX_POINTS = Decimal("10")


def _center_id(center: Any) -> int:
    return int(center if isinstance(center, int) else center.pk)


def default_rule(center: Any) -> AttendanceRule:
    """The seed-003 defaults as an unsaved rule (pk None)."""
    return AttendanceRule(center_id=_center_id(center), valid_from=dt.date(2000, 1, 1), **DEFAULTS)


def rule_for(center: Any, day: dt.date) -> AttendanceRule:
    """The rule version valid on `day`, or the seed-003 defaults."""
    rule = (
        AttendanceRule.objects.filter(center_id=_center_id(center), valid_from__lte=day)
        .order_by("-valid_from", "-pk")
        .first()
    )
    return rule if rule is not None else default_rule(center)


class RuleBook:
    """Every version of one center's rule, read once: `.on(day)` for many days."""

    def __init__(self, center: Any) -> None:
        self.default = default_rule(center)
        rows = list(AttendanceRule.objects.filter(center_id=_center_id(center)).order_by("valid_from"))
        self._starts = [r.valid_from for r in rows]
        self._rows = rows

    def on(self, day: dt.date) -> AttendanceRule:
        i = bisect.bisect_right(self._starts, day)
        return self._rows[i - 1] if i else self.default


def versions(center: Any) -> list[AttendanceRule]:
    return list(AttendanceRule.objects.filter(center_id=_center_id(center)).order_by("-valid_from"))


def _check(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if values["clock_in_from"] > values["clock_in_until"]:
        errors["clock_in_until"] = [_("The clock-in band must not end before it starts.")]
    if values["clock_out_from"] > values["clock_out_until"]:
        errors["clock_out_until"] = [_("The clock-out band must not end before it starts.")]
    if values["clock_in_until"] > values["clock_out_from"]:
        errors["clock_out_from"] = [_("The clock-out band must start after the clock-in band ends.")]
    for field in ("month_threshold", "quarter_threshold", "year_threshold"):
        if not 1 <= int(values[field]) <= 366:
            errors[field] = [_("Enter a number from 1 to 366.")]
    points = Decimal(values["violation_points"])
    if not Decimal("0") <= points <= MAX_POINTS:
        errors["violation_points"] = [_("Enter points from 0 to 10.")]
    if errors:
        raise ValidationFailed(_("Check the attendance rule."), code="invalid_rule", details=errors)


@transaction.atomic
def attendance_rule_create(*, center: Any, valid_from: dt.date, actor: Any, **values: Any) -> AttendanceRule:
    """A new version of the center's rule from `valid_from`; fields not given keep the values
    of the version valid that day. Audited."""
    require(actor, MANAGE, _("You may not change the attendance rules."))
    require_center_access(actor, _center_id(center))
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"unknown rule fields {sorted(unknown)}")
    base = rule_for(center, valid_from)
    merged = {name: values.get(name, getattr(base, name)) for name in DEFAULTS}
    _check(merged)
    try:
        with transaction.atomic():
            rule = AttendanceRule.objects.create(
                center_id=_center_id(center),
                valid_from=valid_from,
                created_at=clock.now(),
                created_by=actor,
                **merged,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("A version of the rule already starts on %(day)s.") % {"day": valid_from.isoformat()},
            code="rule_exists",
            details={"valid_from": [_("Choose another day.")]},
        ) from exc
    audit.record(
        action="attendance.rule_create",
        obj=rule,
        actor=actor,
        after={"valid_from": valid_from, **{k: str(v) for k, v in merged.items()}},
    )
    return rule
