"""The evaluation's codes as data: our five levels, the channels (GB/T 39046 表9), the tag
templates per channel kind, and the mappings to the two external codings (wave2.md §3).

* GB/T 39046 A.8 numbers the levels 1 = 非常满意 … 5 = 非常不满意.
* The national 好差评 upload (国办发〔2019〕51号) numbers them the other way: 5 = best, below 3
  is a 差评.

Our own enum is what is stored; each target's number is looked up here, never computed inline.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("very satisfied")
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")
    VERY_DISSATISFIED = "very_dissatisfied", _("very dissatisfied")


# 差评: the last two levels. Satisfied (for the satisfaction rate): the first three.
BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})
SATISFIED_LEVELS = frozenset({Level.VERY_SATISFIED, Level.SATISFIED, Level.BASICALLY_SATISFIED})

# GB/T 39046-2020 appendix A.8: 1 = 非常满意 … 5 = 非常不满意.
GBT39046_CODE: dict[str, int] = {
    Level.VERY_SATISFIED: 1,
    Level.SATISFIED: 2,
    Level.BASICALLY_SATISFIED: 3,
    Level.DISSATISFIED: 4,
    Level.VERY_DISSATISFIED: 5,
}
# The national 好差评 platform: 5 = 非常满意 … 1 = 非常不满意; below 3 is a 差评.
NATIONAL_CODE: dict[str, int] = {
    Level.VERY_SATISFIED: 5,
    Level.SATISFIED: 4,
    Level.BASICALLY_SATISFIED: 3,
    Level.DISSATISFIED: 2,
    Level.VERY_DISSATISFIED: 1,
}
LEVEL_BY_GBT39046 = {code: level for level, code in GBT39046_CODE.items()}
LEVEL_BY_NATIONAL = {code: level for level, code in NATIONAL_CODE.items()}


def is_bad(level: str) -> bool:
    return level in BAD_LEVELS


class Channel(models.TextChoices):
    """Where an evaluation was given (GB/T 39046 表9 评价渠道)."""

    PC = "pc", _("web (PC)")
    MOBILE = "mobile", _("mobile")
    QR_CODE = "qr_code", _("QR code")
    HALL_TABLET = "hall_tablet", _("window evaluator (tablet)")
    HALL_TERMINAL = "hall_terminal", _("other hall terminal")
    PHONE = "phone", pgettext_lazy("evaluation channel", "phone")
    SMS = "sms", _("SMS")


# GB/T 39046 表9 channel codes (the file export writes them).
GBT39046_CHANNEL: dict[str, str] = {
    Channel.PC: "1",
    Channel.MOBILE: "2",
    Channel.QR_CODE: "3",
    Channel.HALL_TABLET: "4",
    Channel.HALL_TERMINAL: "5",
    Channel.PHONE: "6",
    Channel.SMS: "7",
}


class TemplateKind(models.TextChoices):
    OFFLINE = "offline", _("offline (in the hall)")
    ONLINE = "online", _("online")


# Which tag template applies to a channel.
TEMPLATE_KIND_BY_CHANNEL: dict[str, str] = {
    Channel.PC: TemplateKind.ONLINE,
    Channel.MOBILE: TemplateKind.ONLINE,
    Channel.QR_CODE: TemplateKind.OFFLINE,
    Channel.HALL_TABLET: TemplateKind.OFFLINE,
    Channel.HALL_TERMINAL: TemplateKind.OFFLINE,
    Channel.PHONE: TemplateKind.OFFLINE,
    Channel.SMS: TemplateKind.OFFLINE,
}

# The first version of each template (migration 0002 stores a copy; a center edits them as data).
# Each indicator: a stable code and its Chinese label (the labels are the national indicators).
DEFAULT_TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    TemplateKind.OFFLINE: (
        ("overall", "整体满意度"),
        ("efficiency", "服务效率"),
        ("skill", "服务水平"),
        ("attitude", "服务态度"),
    ),
    TemplateKind.ONLINE: (
        ("overall", "整体满意度"),
        ("efficiency", "办事效率"),
        ("guide_accuracy", "办事指南精确度"),
        ("convenience", "办事便捷度"),
        ("usability", "平台操作性"),
    ),
}
