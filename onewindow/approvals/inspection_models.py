"""Joint inspection and joint acceptance (联合踏勘 / 联合验收) of a bundle case: one appointment
shared by several of its sub-cases, one row per sub-case taking part (its department's attendance
and conclusion), a checklist (point, clause, result, comment, photos) and an overall conclusion.
`onewindow.approvals.inspections` writes and reads them. (models.py imports this module at
its end; the bundle models are named here by their labels, so nothing imports back.)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.cases.material_models import CaseFile
from onewindow.org.models import Department


class Conclusion(models.TextChoices):
    PASS = "pass", _("pass")
    PASS_WITH_CONDITIONS = "pass_with_conditions", _("pass with conditions")
    FAIL = "fail", _("fail")


class JointInspection(models.Model):
    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("joint site inspection")  # 联合踏勘
        ACCEPTANCE = "acceptance", _("joint acceptance")  # 联合验收

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        RECORDED = "recorded", _("recorded")
        CANCELLED = "cancelled", _("cancelled")

    bundle_case = models.ForeignKey(
        "approvals.BundleCase",
        verbose_name=_("bundle case"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    version = models.PositiveIntegerField(_("version"), default=1)
    at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    overall = models.CharField(_("overall conclusion"), max_length=24, choices=Conclusion.choices, blank=True)
    overall_comment = models.TextField(_("overall comment"), blank=True)
    scheduled_at = models.DateTimeField(_("scheduled at"))
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        verbose_name = _("joint inspection")
        verbose_name_plural = _("joint inspections")
        ordering = ["bundle_case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class JointInspectionParticipant(models.Model):
    """A sub-case taking part: its department's attendance and own conclusion, and whether its
    item counts the inspection as a special procedure (the clock pauses for its duration)."""

    inspection = models.ForeignKey(
        JointInspection,
        verbose_name=_("joint inspection"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    sub_case = models.ForeignKey(
        "approvals.BundleSubCase",
        verbose_name=_("sub-case"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    pauses_clock = models.BooleanField(_("the clock pauses (special procedure)"), default=False)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=24, choices=Conclusion.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    paused_working_days = models.PositiveIntegerField(_("paused working days"), default=0)

    class Meta:
        verbose_name = _("participating department")
        verbose_name_plural = _("participating departments")
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "sub_case"], name="joint_inspection_sub_case_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.department_id}"


class JointInspectionCheck(models.Model):
    """One point of the checklist."""

    class Result(models.TextChoices):
        PASS = "pass", _("pass")
        FAIL = "fail", _("fail")
        NA = "na", _("not applicable")

    inspection = models.ForeignKey(
        JointInspection, verbose_name=_("joint inspection"), on_delete=models.CASCADE, related_name="checks"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    point = models.CharField(_("check point"), max_length=200)
    clause = models.CharField(_("clause"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=4, choices=Result.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("checklist point")
        verbose_name_plural = _("checklist points")
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "position"], name="joint_inspection_check_unique")
        ]

    def __str__(self) -> str:
        return self.point


class JointInspectionPhoto(models.Model):
    """A photo of a checklist point: a file of a participating sub-case (`CaseFile`, the cases'
    storage and type checks)."""

    check_point = models.ForeignKey(
        JointInspectionCheck,
        verbose_name=_("checklist point"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    case_file = models.ForeignKey(
        CaseFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["check_point", "id"]

    def __str__(self) -> str:
        return str(self.case_file_id)
