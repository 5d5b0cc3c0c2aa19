"""Electronic supervision (电子监察): the yellow thresholds of a center, the flags raised by the
sweep, reminders (催办), supervision orders (督办) and accountability records (问责).

Rules live in `sweep.py` (what is raised, when) and `services.py` (every write).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onewindow.cases.clock import DEFAULT_YELLOW_DAYS, DEFAULT_YELLOW_PERCENT
from onewindow.cases.models import Case, CaseStep
from onewindow.catalog.models import ServiceItem
from onewindow.org.models import Center, Department, Post


class SupervisionRule(models.Model):
    """The yellow threshold of a center (item empty) or of one item of it (an override)."""

    center = models.ForeignKey(Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("service item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: the rule of the whole center."),
    )
    yellow_days = models.PositiveSmallIntegerField(
        _("yellow: working days left"),
        default=DEFAULT_YELLOW_DAYS,
        validators=[MaxValueValidator(30)],
        help_text=_("Yellow when at most this many working days are left."),
    )
    yellow_percent = models.PositiveSmallIntegerField(
        _("yellow: percent of the limit left"),
        default=DEFAULT_YELLOW_PERCENT,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Yellow when at most this share of the limit is left, whichever comes first."),
    )
    supervise_instant = models.BooleanField(
        _("supervise instant items"), default=False, help_text=_("Also watch items handled on the spot.")
    )
    remind_by_sms = models.BooleanField(
        _("send reminders by SMS"),
        default=False,
        help_text=_("Also text each reminder (催办) to the phone of the step's handler, through the outbox."),
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision rule")
        verbose_name_plural = _("supervision rules")
        constraints = [
            models.UniqueConstraint(
                fields=["center"],
                condition=models.Q(item__isnull=True),
                name="supervision_rule_center_unique",
            ),
            models.UniqueConstraint(
                fields=["center", "item"],
                condition=models.Q(item__isnull=False),
                name="supervision_rule_item_unique",
            ),
        ]
        permissions = [
            ("supervise", _("Can supervise cases (board, orders, accountability)")),
            ("appeal_accountability", _("Can reply to supervision orders and appeal accountability records")),
        ]
        default_permissions = ("view", "change")

    def __str__(self) -> str:
        return f"{self.center_id}/{self.item_id or '*'}: {self.yellow_days}d {self.yellow_percent}%"


# Flags and reminders are derived rows: only the sweep writes them, thousands at a time, from the
# case, step, post and department rows it has just read, and those rows are never deleted (cases
# keep their events; departments and posts are protected). Their foreign keys are not database
# constraints: at 10,000 crossings the deferred checks of 80,000 parent rows at COMMIT were a
# quarter of the sweep on PostgreSQL. Django still applies on_delete (docs/adr/0011).
class Flag(models.Model):
    """One signal raised by the sweep. `key` names the crossing (the deadline at the time, or the
    event): the unique constraints make a second flag for the same crossing impossible, while a
    moved deadline can flag again."""

    class Level(models.TextChoices):
        YELLOW = "yellow", _("yellow")
        RED = "red", _("red")
        LEGAL_RED = "legal_red", _("legal limit passed")
        ANOMALY = "anomaly", _("anomaly")

    class Kind(models.TextChoices):
        STEP_YELLOW = "step_yellow", _("step: warning")
        STEP_RED = "step_red", _("step: overdue")
        CASE_YELLOW = "case_yellow", _("case: warning")
        CASE_RED = "case_red", _("case: overdue")
        LEGAL_OVERDUE = "legal_overdue", _("case: legal limit passed")
        MISSING_REQUIRED_MATERIAL = (
            "missing_required_material",
            _("accepted with a required material missing"),
        )
        REPEAT_CORRECTION = "repeat_correction", _("correction requested again")
        REPEAT_RETURN_REASON = "repeat_return_reason", _("returned twice for the same reason")
        PAUSE_OVERRUN = "pause_overrun", _("special procedure past its expected end")
        CHAIN_BROKEN = "chain_broken", _("case history tampered with")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    # indexed by the unique (step, kind, key) constraint (the sweep writes thousands at once)
    step = models.ForeignKey(
        CaseStep,
        verbose_name=_("step"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    key = models.CharField(_("crossing"), max_length=64)
    due_at = models.DateTimeField(_("deadline at the crossing"), null=True, blank=True)
    raised_at = models.DateTimeField(_("raised at"), db_index=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("supervision flag")
        verbose_name_plural = _("supervision flags")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "kind", "key"],
                condition=models.Q(step__isnull=False),
                name="flag_step_unique",
            ),
            models.UniqueConstraint(
                fields=["case", "kind", "key"], condition=models.Q(step__isnull=True), name="flag_case_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["level", "raised_at"],
                name="flag_open_idx",
                condition=models.Q(resolved_at__isnull=True),
            )
        ]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.raised_at:%Y-%m-%d %H:%M}"


class Reminder(models.Model):
    """A reminder (催办) to the post (and the assigned person) of a step that turned yellow."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    # indexed by the unique (step, key) constraint
    step = models.ForeignKey(
        CaseStep,
        verbose_name=_("step"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        help_text=_("The step's assigned handler, or for a window step the clerk who received the case."),
    )
    to_chief = models.BooleanField(
        _("to the department chief"),
        default=False,
        help_text=_("The step had no handler and its post no holder: the department's chief must act."),
    )
    key = models.CharField(_("crossing"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["step", "key"], name="reminder_step_unique")]
        indexes = [
            # the worklist's unread reminders of a post (or of a handler, through its own index)
            models.Index(
                fields=["post", "created_at"],
                name="reminder_unread_post_idx",
                condition=models.Q(read_at__isnull=True),
            )
        ]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case_id}/{self.step_id} {self.created_at:%Y-%m-%d %H:%M}"


class SupervisionOrder(models.Model):
    """A supervision order (督办单): demand, reply deadline, reply, closing."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        REPLIED = "replied", _("replied")
        CLOSED = "closed", _("closed")
        OVERDUE = "overdue", _("reply overdue")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # a subject that is not a case (a complaint, the rectification of a 差评: issue 15): its kind,
    # its reference (number or id) and a label for lists; `case` is then empty
    subject_kind = models.CharField(_("subject"), max_length=16, blank=True, default="")
    subject_ref = models.CharField(_("subject reference"), max_length=40, blank=True, default="")
    subject_label = models.CharField(_("subject label"), max_length=200, blank=True, default="")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    # who must act (supervision.routing): the step's post and handler, else the department chief
    step = models.ForeignKey(
        CaseStep,
        verbose_name=_("step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    post = models.ForeignKey(
        Post,
        verbose_name=_("post"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    to_chief = models.BooleanField(
        _("to the department chief"),
        default=False,
        help_text=_(
            "No step, or the step had no handler and its post no holder: the department's chief must act."
        ),
    )
    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issuer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: issued by the system when the case went red."),
    )
    key = models.CharField(_("crossing"), max_length=64, blank=True, default="")
    demand = models.TextField(_("demand"))
    issued_at = models.DateTimeField(_("issued at"))
    reply_due_at = models.DateTimeField(_("reply due at"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    close_note = models.TextField(_("closing note"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    sent_back_count = models.PositiveSmallIntegerField(_("times sent back"), default=0)
    sent_back_note = models.TextField(_("sent back because"), blank=True)

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "key"], condition=~models.Q(key=""), name="supervision_order_crossing_unique"
            ),
            models.UniqueConstraint(
                fields=["subject_kind", "subject_ref", "key"],
                condition=~models.Q(subject_kind="") & ~models.Q(key=""),
                name="supervision_order_subject_unique",
            ),
        ]
        indexes = [
            # the sweep's "reply overdue" query reads only the open orders
            models.Index(
                fields=["reply_due_at"],
                name="supervision_order_open_due_idx",
                condition=models.Q(status="open"),
            )
        ]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_status_display()}"


class AccountabilityRecord(models.Model):
    """An accountability record (问责) for the post and person of an overdue step, or for a
    subject that is not a case (a valid complaint: `subject_kind`, subjects.py). Records are
    never deleted: a revoked record stays, marked revoked."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        APPEALED = "appealed", _("appealed")
        UPHELD = "upheld", _("upheld")
        REVOKED = "revoked", pgettext_lazy("accountability status", "revoked")  # not a revoked token

    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # a subject that is not a case (a complaint, the rectification of a 差评: issue 15): its kind,
    # its reference (number or id) and a label for lists; `case` is then empty
    subject_kind = models.CharField(_("subject"), max_length=16, blank=True, default="")
    subject_ref = models.CharField(_("subject reference"), max_length=40, blank=True, default="")
    subject_label = models.CharField(_("subject label"), max_length=200, blank=True, default="")
    # indexed by the unique (step, key) constraint
    step = models.ForeignKey(
        CaseStep,
        verbose_name=_("step"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(_("crossing"), max_length=64)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("created at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    appeal_reason = models.TextField(_("appeal reason"), blank=True)
    appealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appealed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "key"], name="accountability_step_unique"),
            models.UniqueConstraint(
                fields=["subject_kind", "subject_ref"],
                condition=~models.Q(subject_kind=""),
                name="accountability_subject_unique",
            ),
        ]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case_id}/{self.step_id} {self.get_status_display()}"


class SweepCursor(models.Model):
    """How far the anomaly check of the sweep has read the case events (by event time; the sweep
    re-reads a few minutes before it, the unique flags absorb the overlap)."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    at = models.DateTimeField(_("read up to"))

    class Meta:
        verbose_name = _("sweep cursor")
        verbose_name_plural = _("sweep cursors")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M}"
