"""The complaints' codes as data: kinds, sources, statuses, the reasons a complaint is not
accepted, the complainant's satisfaction at the call-back, and the state table.

The reasons not to accept (wave2.md §3) are stable English codes with Chinese labels; a reply is
sent to the complainant anyway (SMS when a phone is known).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("on-the-spot coordination")
    REFERRAL = "referral", _("referral to a department")
    OPINION = "opinion", _("opinion")


class Source(models.TextChoices):
    DESK = "desk", _("complaint desk")
    PHONE = "phone", _("phone (center line)")
    HOTLINE_12345 = "hotline_12345", _("12345 hotline hand-off")
    ONLINE = "online", _("online")
    HALL_TERMINAL = "hall_terminal", _("hall touch screen")
    BAD_RATING = "bad_rating", _("escalated from a bad rating")


# what staff may choose on the desk form (online and bad_rating come from their own paths)
STAFF_SOURCES = (Source.DESK, Source.PHONE, Source.HOTLINE_12345, Source.HALL_TERMINAL)


class Status(models.TextChoices):
    REGISTERED = "registered", _("registered, to be assigned")
    ASSIGNED = "assigned", pgettext_lazy("complaint status", "assigned")
    INVESTIGATING = "investigating", _("being investigated")
    ANSWERED = "answered", _("answered, call-back due")
    CLOSED = "closed", pgettext_lazy("complaint status", "closed")
    NOT_ACCEPTED = "not_accepted", _("not accepted")


OPEN_STATUSES = (Status.REGISTERED, Status.ASSIGNED, Status.INVESTIGATING)


class NotAcceptedReason(models.TextChoices):
    NO_TARGET_OR_CONTENT = "no_target_or_content", _("no identifiable target or content")
    UNVERIFIABLE = "unverifiable", _("cannot be verified without evidence")
    OUTSIDE_SCOPE = "outside_scope", _("outside government services")
    REVIEW_OR_LITIGATION = "review_or_litigation", _("already in administrative review or litigation")
    EMERGENCY = "emergency", _("an emergency for 110, 119, 120 or 122")
    SECRETS_PRIVACY = "secrets_privacy", _("state secrets, trade secrets or privacy")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY = "basically", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")
    UNREACHABLE = "unreachable", _("could not be reached")


class Level(models.IntegerChoices):
    GREEN = 0, _("on time")
    YELLOW = 1, _("yellow")
    RED = 2, _("red")


# Permissions
REGISTER = "complaints.register_complaint"
HANDLE = "complaints.handle_complaint"
JUDGE = "complaints.judge_complaint"

# THE state table: action → (statuses it starts from, the status it leads to (None: unchanged),
# the permission it needs). Who within the permission (the handling department's scope) is
# checked by the services.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None, str]] = {
    "assign": ((Status.REGISTERED,), Status.ASSIGNED, REGISTER),
    "not_accept": ((Status.REGISTERED, Status.ASSIGNED), Status.NOT_ACCEPTED, REGISTER),
    "return": ((Status.ASSIGNED, Status.INVESTIGATING), Status.REGISTERED, HANDLE),
    "investigate": ((Status.ASSIGNED,), Status.INVESTIGATING, HANDLE),
    "answer": ((Status.ASSIGNED, Status.INVESTIGATING), Status.ANSWERED, HANDLE),
    "extend": ((Status.REGISTERED, Status.ASSIGNED, Status.INVESTIGATING), None, JUDGE),
    "callback": ((Status.ANSWERED,), Status.CLOSED, HANDLE),
    "judge": ((Status.ANSWERED, Status.CLOSED), None, JUDGE),
}

ACTION_LABELS = {
    "register": _("registered"),
    "assign": _("assigned to a department"),
    "not_accept": _("not accepted"),
    "return": _("returned as mis-routed"),
    "investigate": _("investigation started"),
    "answer": _("answered"),
    "extend": _("limit extended"),
    "callback": _("called back and closed"),
    "judge": _("validity decided"),
    "yellow": _("close to its limit (yellow)"),
    "red": _("past its limit (red)"),
}
