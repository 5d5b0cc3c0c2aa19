"""Evaluation (好差评): service occasions, the evaluations given for them, the tag templates,
the window evaluator devices and the rectification (整改) of every 差评.

* `ServiceOccasion` (服务次数): one row per service a case received — submitted, accepted,
  completed (occasions.py writes them in the case's transaction) — and per window visit (a served
  queue ticket, issue 16). `evaluated_at` is set in the transaction that stores its evaluation.
* `Evaluation`: at most one per occasion (the one-to-one column is the rule: a second one is a
  409). No evaluation means no row: "not evaluated" is a state, never a default rating; nothing
  writes an evaluation that nobody submitted (wave2.md §3, and the property test says so).
  A voided evaluation (误评/恶意, approved by a supervisor) keeps its row, marked voided.
* `EvaluationTemplate`: the indicators (tags) per channel kind, versioned; an evaluation points
  at the version it was given under.
* `EvaluatorDevice`: the tablet bound to one window (its own account kind, never a staff user).
* `Rectification` and `RectificationEvent`: the follow-up of a 差评 (rectifications.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.feedback.codes import Channel, Level, TemplateKind


class ServiceOccasion(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("application submitted")
        ACCEPTED = "accepted", _("application accepted")
        COMPLETED = "completed", _("case completed")
        WINDOW_VISIT = "window_visit", _("window visit")

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # a served queue ticket (issue 16): its display number, e.g. "A012"
    ticket = models.CharField(_("queue ticket"), max_length=20, blank=True, default="")
    kind = models.CharField(_("occasion"), max_length=14, choices=Kind.choices)
    at = models.DateTimeField(_("time"))
    template_kind = models.CharField(_("channel kind"), max_length=8, choices=TemplateKind.choices)
    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("service item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("served by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closes_at = models.DateTimeField(_("open for evaluation until"))
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service occasion")
        verbose_name_plural = _("service occasions")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(case__isnull=False) & ~models.Q(kind="window_visit"),
                name="feedback_occasion_case_kind_unique",
            )
        ]
        indexes = [
            models.Index(fields=["center", "at"], name="feedback_occasion_center_at"),
            models.Index(fields=["window", "at"], name="feedback_occasion_window_at"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.case_id or self.ticket} {self.kind}"


class EvaluationTemplate(models.Model):
    kind = models.CharField(_("channel kind"), max_length=8, choices=TemplateKind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    # [{"code": "overall", "label": "整体满意度"}, …]
    indicators = models.JSONField(_("indicators"))
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("evaluation template")
        verbose_name_plural = _("evaluation templates")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="feedback_template_version_unique"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(active=True), name="feedback_template_one_active"
            ),
        ]
        default_permissions = ("view", "change")

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"

    def codes(self) -> list[str]:
        return [str(i["code"]) for i in self.indicators]


class EvaluatorDevice(models.Model):
    """A window evaluator (评价器): a tablet bound to one window. It signs in with its own key (a
    digest is stored), never with a staff account."""

    window = models.ForeignKey(
        "org.Window", verbose_name=_("window"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=60)
    key_digest = models.CharField(_("key digest"), max_length=64, unique=True)
    key_hint = models.CharField(_("key hint"), max_length=12, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("window evaluator")
        verbose_name_plural = _("window evaluators")
        ordering = ["window_id", "name"]
        permissions = [("manage_evaluator", _("Can set up window evaluators"))]
        default_permissions = ()

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    occasion = models.OneToOneField(
        ServiceOccasion,
        verbose_name=_("service occasion"),
        on_delete=models.PROTECT,
        related_name="evaluation",
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    tags = models.JSONField(_("indicators"), default=list, blank=True)
    text = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("channel"), max_length=14, choices=Channel.choices)
    template = models.ForeignKey(
        EvaluationTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    bad = models.BooleanField(_("bad rating (差评)"), default=False)
    real_name = models.BooleanField(
        _("real name"),
        default=False,
        help_text=_("The evaluator is known (the case's applicant or a signed-in person)."),
    )
    device = models.ForeignKey(
        EvaluatorDevice,
        verbose_name=_("window evaluator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applicant = models.ForeignKey(
        "identity.Person",
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # a phone call-back entered by a supervisor: who entered it and who called
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    caller = models.CharField(_("called by"), max_length=60, blank=True)
    client_ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("void approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    void_reason = models.TextField(_("void reason"), blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["submitted_at"], name="feedback_evaluation_at"),
        ]
        permissions = [
            ("view_evaluations", _("Can see evaluations")),
            ("record_callback", _("Can record phone call-back evaluations")),
        ]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.occasion_id} {self.level}"


class Rectification(models.Model):
    """The follow-up (整改) of one 差评: call back and verify (due in 1 working day), classify,
    rectify by the deadline, tell the evaluator, supervisor review, close — or void the
    evaluation with a supervisor's approval. `level` is set by the supervision sweep."""

    class Status(models.TextChoices):
        CALLBACK_DUE = "callback_due", _("call-back due")
        RECTIFYING = "rectifying", _("being rectified")
        RECTIFIED = "rectified", _("rectified, evaluator to be informed")
        INFORMED = "informed", _("evaluator informed, awaiting review")
        VOID_REQUESTED = "void_requested", _("void requested")
        CLOSED = "closed", _("closed")
        VOIDED = "voided", _("evaluation voided")

    class Classification(models.TextChoices):
        REASONABLE = "reasonable", _("reasonable: rectify at once")
        COMPLEX = "complex", _("complex: explain, register and rectify by a deadline")
        NO_LEGAL_BASIS = "no_legal_basis", _("no legal basis: explain")
        MISTAKEN = "mistaken", _("mistaken or malicious: ask to void")

    evaluation = models.OneToOneField(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.PROTECT, related_name="rectification"
    )
    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CALLBACK_DUE)
    version = models.PositiveIntegerField(_("version"), default=1)
    opened_at = models.DateTimeField(_("opened at"))
    callback_due_at = models.DateTimeField(_("call-back due at"))
    callback_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    callback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called back by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    callback_note = models.TextField(_("call-back record"), blank=True)
    callback_reached = models.BooleanField(_("evaluator reached"), null=True, blank=True)
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, blank=True, default=""
    )
    explanation = models.TextField(_("explanation"), blank=True)
    due_at = models.DateTimeField(_("rectify by"), null=True, blank=True)
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    rectification_note = models.TextField(_("what was rectified"), blank=True)
    informed_at = models.DateTimeField(_("evaluator informed at"), null=True, blank=True)
    inform_method = models.CharField(_("informed by"), max_length=12, blank=True, default="")
    void_request_reason = models.TextField(_("reasons for voiding"), blank=True)
    review_note = models.TextField(_("review"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("supervision level"), default=0)
    # when the current deadline (call-back, then rectification) turns yellow: set at each
    # transition (rectification_clock.py); empty while nothing is supervised
    warn_at = models.DateTimeField(_("yellow from"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["-opened_at", "-id"]
        # the supervision sweep's queries (rectification_sweep.py): only open, supervised rows
        indexes = [
            models.Index(
                fields=["callback_due_at"],
                condition=models.Q(status="callback_due", callback_at__isnull=True, level__lt=2),
                name="feedback_rect_callback_open",
            ),
            models.Index(
                fields=["due_at"],
                condition=models.Q(status="rectifying", level__lt=2),
                name="feedback_rect_due_open",
            ),
            models.Index(
                fields=["warn_at"],
                condition=models.Q(status__in=("callback_due", "rectifying"), level=0),
                name="feedback_rect_warn_open",
            ),
            models.Index(fields=["status", "opened_at"], name="feedback_rect_status"),
        ]
        permissions = [
            ("handle_rectification", _("Can handle rectifications of bad ratings")),
            ("review_rectification", _("Can review rectifications and approve voiding an evaluation")),
        ]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.status}"


class RectificationEvent(models.Model):
    """The append-only history of a rectification: who did what, when, from where."""

    rectification = models.ForeignKey(
        Rectification, verbose_name=_("rectification"), on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    client_ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification event")
        verbose_name_plural = _("rectification events")
        ordering = ["at", "id"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.rectification_id} {self.action}"
