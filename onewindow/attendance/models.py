"""Attendance (考勤, seed 003 as wave2.md §5 writes it; issue 16 §4).

* `AttendanceRule`: the rules as data, one version per center from a date (the defaults of seed
  003: clock in 08:00–09:00, out 17:00–18:00; thresholds 5 / 10 / 20 per month / quarter /
  year; −0.2 points per violation). A new version is a new row; old ones are kept.
* `AttendanceDevice`: a window terminal (fingerprint or face reader) that posts clock records
  with its own key (a digest is stored), never with a staff account.
* `ClockRecord`: append-only; one clock in or out of one person, with the method (fingerprint,
  password, face, manual entry by the duty leader), whether it fell outside the rule's bands
  (abnormal, with the reason given) and who entered it from where.
* `LeaveRequest` + `LeaveDecision` (append-only): 病假, 事假, 因公, 年休假, late arrival, early
  leave; the approval chain depends on the length (short: group leader; half day: group leader
  + record by the supervision office; a day or more: home department + supervision office).
  A one-clerk window needs a named stand-in (代岗) before its clerk leaves for half a day or
  more: such a request cannot be approved without one.
* `PatrolEntry`: the duty leader's patrol log (值班巡查).

Daily attendance (normal, late, early, absent, on leave) is derived from these rows
(`attendance.daily`), not stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AttendanceRule(models.Model):
    center = models.ForeignKey(
        "org.Center", on_delete=models.PROTECT, related_name="+", verbose_name=_("center")
    )
    valid_from = models.DateField(_("valid from"))
    clock_in_from = models.TimeField(_("clock in from"), default=dt.time(8))
    clock_in_until = models.TimeField(_("clock in until"), default=dt.time(9))
    clock_out_from = models.TimeField(_("clock out from"), default=dt.time(17))
    clock_out_until = models.TimeField(_("clock out until"), default=dt.time(18))
    month_threshold = models.PositiveSmallIntegerField(_("flag after, per month"), default=5)
    quarter_threshold = models.PositiveSmallIntegerField(_("flag after, per quarter"), default=10)
    year_threshold = models.PositiveSmallIntegerField(_("flag after, per year"), default=20)
    violation_points = models.DecimalField(
        _("points deducted per violation"), max_digits=4, decimal_places=2, default=Decimal("0.20")
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("attendance rule")
        verbose_name_plural = _("attendance rules")
        ordering = ["center_id", "-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["center", "valid_from"], name="attendance_rule_from_unique")
        ]
        permissions = [
            ("manage_attendance_rules", _("Can change the attendance rules")),
            ("view_attendance", _("Can see the attendance of the center")),
            ("clock_manually", _("Can enter a clock record by hand (duty leader)")),
            ("log_patrol", _("Can write the duty patrol log")),
            ("manage_attendance_device", _("Can set up attendance terminals")),
        ]

    def __str__(self) -> str:
        return f"{self.center_id} {self.valid_from}"


class AttendanceDevice(models.Model):
    center = models.ForeignKey(
        "org.Center", on_delete=models.PROTECT, related_name="+", verbose_name=_("center")
    )
    window = models.ForeignKey(
        "org.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
    )
    name = models.CharField(_("name"), max_length=60)
    key_digest = models.CharField(_("key digest"), max_length=64, unique=True)
    key_hint = models.CharField(_("key hint"), max_length=12, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance terminal")
        verbose_name_plural = _("attendance terminals")
        ordering = ["center_id", "name"]
        default_permissions = ()

    def __str__(self) -> str:
        return self.name


class ClockRecord(models.Model):
    """Append-only (migration 0002's triggers)."""

    class Kind(models.TextChoices):
        IN = "in", _("clock in")
        OUT = "out", _("clock out")

    class Method(models.TextChoices):
        FINGERPRINT = "fingerprint", _("fingerprint")
        PASSWORD = "password", _("password")
        FACE = "face", _("face")
        MANUAL = "manual", _("entered by the duty leader")

    user = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    center = models.ForeignKey(
        "org.Center", on_delete=models.PROTECT, related_name="+", verbose_name=_("center")
    )
    window = models.ForeignKey(
        "org.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
    )
    date = models.DateField(_("date"))  # the local date of `at`
    at = models.DateTimeField(_("at"))
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    abnormal = models.BooleanField(_("outside the rule's hours"), default=False)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    device = models.ForeignKey(
        AttendanceDevice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("terminal"),
    )
    entered_by = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("clock record")
        verbose_name_plural = _("clock records")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["user", "date"], name="attendance_clock_user_date"),
            models.Index(fields=["center", "date"], name="attendance_clock_center_date"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class LeaveRequest(models.Model):
    class Kind(models.TextChoices):
        SICK = "sick", _("sick leave")
        PERSONAL = "personal", _("personal leave")
        OFFICIAL = "official", _("official business")
        ANNUAL = "annual", _("annual leave")
        LATE = "late", _("late arrival")
        EARLY = "early", _("early leave")

    class Length(models.TextChoices):
        SHORT = "short", _("less than half a day")
        HALF_DAY = "half_day", _("half a day")
        DAYS = "days", _("a day or more")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Stage(models.TextChoices):
        GROUP_LEADER = "group_leader", _("group leader")
        HOME_DEPARTMENT = "home_department", _("home department")
        SUPERVISION = "supervision", _("supervision office")
        DONE = "done", _("done")

    user = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    center = models.ForeignKey(
        "org.Center", on_delete=models.PROTECT, related_name="+", verbose_name=_("center")
    )
    window = models.ForeignKey(
        "org.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    length = models.CharField(_("length"), max_length=10, choices=Length.choices)
    days = models.DecimalField(_("working days"), max_digits=5, decimal_places=1, default=Decimal("0"))
    reason = models.CharField(_("reason"), max_length=300)
    certificate = models.BooleanField(_("certificate shown (sick leave)"), default=False)
    stand_in = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stand-in (代岗)"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    stage = models.CharField(_("waiting for"), max_length=16, choices=Stage.choices)
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        "org.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "starts_at"], name="attendance_leave_user"),
            models.Index(fields=["center", "status", "stage"], name="attendance_leave_worklist"),
        ]
        permissions = [
            ("approve_short_leave", _("Can approve leave as group leader")),
            ("sign_department_leave", _("Can sign leave for the home department")),
            ("approve_leave", _("Can record and approve leave for the supervision office")),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.starts_at:%Y-%m-%d}"


class LeaveDecision(models.Model):
    """Append-only (migration 0002's triggers): one step of a leave request's approval chain."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("approved")
        RECORDED = "recorded", _("recorded")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")
        STAND_IN = "stand_in", _("stand-in named")

    request = models.ForeignKey(
        LeaveRequest, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("leave request")
    )
    stage = models.CharField(_("stage"), max_length=16, choices=LeaveRequest.Stage.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    actor = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("leave decision")
        verbose_name_plural = _("leave decisions")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.stage} {self.decision}"


class PatrolEntry(models.Model):
    """The duty leader's patrol log (值班巡查)."""

    class Finding(models.TextChoices):
        IN_ORDER = "in_order", _("in order")
        ABSENT = "absent", _("absent from the window")
        LATE = "late", pgettext_lazy("attendance", "late")
        DISCIPLINE = "discipline", _("discipline (phone, food, chatting …)")
        ENVIRONMENT = "environment", _("environment or equipment")
        OTHER = "other", _("other")

    center = models.ForeignKey(
        "org.Center", on_delete=models.PROTECT, related_name="+", verbose_name=_("center")
    )
    leader = models.ForeignKey(
        "org.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("duty leader")
    )
    at = models.DateTimeField(_("at"))
    window = models.ForeignKey(
        "org.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
    )
    person = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    finding = models.CharField(_("finding"), max_length=12, choices=Finding.choices)
    # a finding that is a violation counts for window assessment (−0.2 points by default)
    violation = models.BooleanField(_("violation"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("patrol entry")
        verbose_name_plural = _("patrol log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["center", "at"], name="attendance_patrol_at")]

    def __str__(self) -> str:
        return f"{self.leader_id} {self.at:%Y-%m-%d %H:%M} {self.finding}"
