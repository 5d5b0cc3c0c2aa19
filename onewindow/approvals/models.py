"""The bundle case (一件事办件): one number, applicant, form and set of materials for several
items; one sub-case (an ordinary case) per applicable item, opened phase by phase; one joint
clock; one delivery. The plan (phases and items) is copied from the catalog bundle when the
bundle case is received, so later catalog edits never change a running bundle (ADR 0026).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.cases.facts import Level
from onewindow.cases.models import Case
from onewindow.catalog.models import Bundle
from onewindow.org.models import Center, Department, Window


class BundleCase(models.Model):
    class Status(models.TextChoices):
        CORRECTION_REQUESTED = "correction_requested", _("correction requested")
        REFUSED = "refused", _("refused")
        IN_PROGRESS = "in_progress", _("in progress")
        CORRECTION_IN_PROGRESS = "correction_in_progress", _("awaiting corrected materials")
        DECIDED = "decided", _("decided, results ready")
        DELIVERED = "delivered", _("delivered")

    center = models.ForeignKey(Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+")
    bundle = models.ForeignKey(
        Bundle, verbose_name=_("bundle"), on_delete=models.PROTECT, related_name="bundle_cases"
    )
    bundle_code = models.CharField(_("bundle code"), max_length=40)
    bundle_name = models.CharField(_("bundle name"), max_length=200)
    lead_department = models.ForeignKey(
        Department, verbose_name=_("lead department"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("bundle case number"), max_length=32, unique=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    window = models.ForeignKey(
        Window, verbose_name=_("window"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=12, default="window")

    applicant_kind = models.CharField(_("applicant kind"), max_length=12)
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_id_type = models.CharField(_("ID type"), max_length=20)
    applicant_id_number = models.CharField(_("ID number"), max_length=40)
    applicant_phone = models.CharField(_("phone"), max_length=20)
    applicant_address = models.CharField(_("address"), max_length=200, blank=True)
    legal_rep_name = models.CharField(_("legal representative"), max_length=100, blank=True)
    legal_rep_id_number = models.CharField(_("legal representative's ID number"), max_length=40, blank=True)

    answers = models.JSONField(_("situation answers"), default=dict, blank=True)
    form = models.JSONField(_("single form"), default=dict, blank=True)
    materials = models.JSONField(_("materials received"), default=list, blank=True)
    delivery_method = models.CharField(_("delivery"), max_length=10, default="pickup")
    tracking_number = models.CharField(_("tracking number"), max_length=50, blank=True)
    note = models.TextField(_("note"), blank=True)

    received_at = models.DateTimeField(_("received at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    promised_limit = models.PositiveSmallIntegerField(_("promised limit (working days)"))
    legal_limit = models.PositiveSmallIntegerField(_("legal joint limit (working days)"))
    paused_working_days = models.PositiveIntegerField(_("paused working days"), default=0)
    extension_days = models.PositiveIntegerField(_("extension (working days)"), default=0)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    legal_due_at = models.DateTimeField(_("legal due at"), null=True, blank=True)
    warn_at = models.DateTimeField(_("warning at"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(
        _("supervision level"), choices=Level.choices, default=Level.GREEN
    )
    correction_count = models.PositiveSmallIntegerField(_("merged corrections"), default=0)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bundle case")
        verbose_name_plural = _("bundle cases")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("approve_joint_extension", _("Approve the extension of a joint limit (government head)")),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="bundlecase_status_due_idx"),
            models.Index(fields=["center", "accepted_on"], name="bundlecase_center_acc_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.bundle_name}"


class BundleCasePhase(models.Model):
    """A phase of one bundle case, copied from the catalog: waiting, open (its sub-cases run in
    parallel) or done (every sub-case of it decided)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        OPEN = "open", _("in progress")
        DONE = "done", _("done")

    bundle_case = models.ForeignKey(
        BundleCase, verbose_name=_("bundle case"), on_delete=models.CASCADE, related_name="phases"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=50)
    promised_limit = models.PositiveSmallIntegerField(
        _("promised limit (working days)"), null=True, blank=True
    )
    merge_with_previous = models.BooleanField(_("opens with the phase before"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bundle case phase")
        verbose_name_plural = _("bundle case phases")
        ordering = ["bundle_case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bundle_case", "position"], name="bundlecase_phase_unique")
        ]

    def __str__(self) -> str:
        return self.name


class BundleSubCase(models.Model):
    """One applicable item of a bundle case and, once its phase opens, its sub-case."""

    bundle_case = models.ForeignKey(
        BundleCase, verbose_name=_("bundle case"), on_delete=models.CASCADE, related_name="sub_cases"
    )
    phase = models.ForeignKey(
        BundleCasePhase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sub_cases",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    item_code = models.CharField(_("item code"), max_length=40)
    item_name = models.CharField(_("item"), max_length=200)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    required = models.BooleanField(_("required"), default=True)
    case = models.OneToOneField(
        Case,
        verbose_name=_("sub-case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bundle_link",
    )
    form = models.JSONField(_("form values for the item"), default=dict, blank=True)
    materials = models.JSONField(_("materials for the item"), default=list, blank=True)
    decided_at = models.DateTimeField(_("result in hand at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sub-case")
        verbose_name_plural = _("sub-cases")
        ordering = ["bundle_case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bundle_case", "item_code"], name="bundlecase_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_code} {self.item_name}"


class BundleEvent(models.Model):
    """What happened to a bundle case: append-only (database triggers), one per change, with
    seq 1…version (the sub-cases keep their own events)."""

    bundle_case = models.ForeignKey(
        BundleCase, verbose_name=_("bundle case"), on_delete=models.PROTECT, related_name="events"
    )
    seq = models.PositiveIntegerField(_("sequence"))
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from status"), max_length=24, blank=True)
    to_status = models.CharField(_("to status"), max_length=24)
    data = models.JSONField(_("data"), default=dict, blank=True)
    public = models.BooleanField(_("shown on the public progress page"), default=False)

    class Meta:
        verbose_name = _("bundle event")
        verbose_name_plural = _("bundle events")
        ordering = ["bundle_case", "seq"]
        constraints = [models.UniqueConstraint(fields=["bundle_case", "seq"], name="bundle_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.bundle_case_id}#{self.seq} {self.action}"


class BundleNotice(models.Model):
    """A notice of the whole bundle: acceptance (each item, department and due date, and the
    joint due date), the merged correction notice, the extension, the decision summary, the
    service receipt (送达回证). `data` is the snapshot it prints."""

    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", _("joint acceptance notice")
        CORRECTION = "correction", _("merged correction notice")
        REFUSAL = "refusal", _("refusal notice")
        EXTENSION = "extension", _("joint extension notice")
        DECISION = "decision", _("joint decision summary")
        SERVICE_RECEIPT = "service_receipt", _("service receipt")

    bundle_case = models.ForeignKey(
        BundleCase, verbose_name=_("bundle case"), on_delete=models.PROTECT, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("notice number"), max_length=48, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    data = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("bundle notice")
        verbose_name_plural = _("bundle notices")
        ordering = ["bundle_case", "issued_at", "id"]

    def __str__(self) -> str:
        return self.number


# The joint clock's rows and joint inspection and acceptance (联合踏勘 / 联合验收), kept in their
# own modules.
from onewindow.approvals.clock_models import BundleCorrection, BundleExtension  # noqa: E402
from onewindow.approvals.inspection_models import (  # noqa: E402
    JointInspection,
    JointInspectionCheck,
    JointInspectionParticipant,
    JointInspectionPhoto,
)

__all__ = [
    "BundleCase",
    "BundleCasePhase",
    "BundleCorrection",
    "BundleEvent",
    "BundleExtension",
    "BundleNotice",
    "BundleSubCase",
    "JointInspection",
    "JointInspectionCheck",
    "JointInspectionParticipant",
    "JointInspectionPhoto",
]
