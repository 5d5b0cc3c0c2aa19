"""Forms of the supervision pages: shape checks only; every rule lives in
onewindow.supervision.services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onewindow.supervision.models import SupervisionRule
from onewindow.supervision.services import MAX_REPLY_DAYS

LEVEL_CHOICES = [
    ("", _("Any level")),
    ("yellow", _("Yellow warning")),
    ("red", _("Red (overdue)")),
    ("legal_red", _("Past the legal limit")),
    ("anomaly", _("Anomaly")),
]


class FlagFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES, required=False)
    department = forms.CharField(label=_("Department"), max_length=20, required=False)
    item = forms.CharField(label=_("Service item code"), max_length=40, required=False)
    handler = forms.CharField(label=_("Handler (account name)"), max_length=150, required=False)
    age = forms.IntegerField(
        label=_("Flagged at least (days ago)"), min_value=0, max_value=3650, required=False
    )


class OrderIssueForm(forms.Form):
    case = forms.CharField(label=_("Case number"), max_length=40)
    demand = forms.CharField(label=_("Demand"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    reply_days = forms.IntegerField(
        label=_("Reply within (working days)"), min_value=1, max_value=MAX_REPLY_DAYS, initial=2
    )


class OrderReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Uphold the record")), ("0", _("Revoke the record"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


def next_friday_evening(now: dt.datetime) -> dt.datetime:
    """The default moment of the forecast: the coming Friday at 17:30 local time (a week later
    when it is already past Friday 17:30)."""
    local = timezone.localtime(now)
    days = (4 - local.weekday()) % 7
    candidate = (local + dt.timedelta(days=days)).replace(hour=17, minute=30, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=7)
    return candidate


class ForecastForm(forms.Form):
    at = forms.DateTimeField(
        label=_("What will be late by"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class RuleForm(forms.Form):
    """The yellow threshold of the center (no item) or of one item (an override)."""

    item = forms.CharField(
        label=_("Service item code"),
        max_length=40,
        required=False,
        help_text=_("Empty: the rule of the whole center."),
    )
    yellow_days = forms.IntegerField(
        label=_("Yellow: working days left"), min_value=0, max_value=30, initial=1
    )
    yellow_percent = forms.IntegerField(
        label=_("Yellow: percent of the limit left"), min_value=0, max_value=100, initial=20
    )
    supervise_instant = forms.BooleanField(label=_("Supervise instant items"), required=False)
    remind_by_sms = forms.BooleanField(
        label=_("Send reminders by SMS"),
        required=False,
        help_text=_("Also text each reminder (催办) to the phone of the step's handler, through the outbox."),
    )

    def __init__(self, *args: Any, instance: SupervisionRule | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "item": instance.item.code if instance.item else "",
                "yellow_days": instance.yellow_days,
                "yellow_percent": instance.yellow_percent,
                "supervise_instant": instance.supervise_instant,
                "remind_by_sms": instance.remind_by_sms,
            }
        super().__init__(*args, **kwargs)
