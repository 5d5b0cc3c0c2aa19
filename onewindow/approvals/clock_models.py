"""The joint clock's records (issue 13 §2): the merged correction during processing (one per
pause of the bundle's clock) and the joint extension (行政许可法 art. 42 para 2). Imported at the
bottom of `models.py`, so Django finds them as models of the approvals app (the bundle case
is named by its label: no import back into `models.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BundleCorrection(models.Model):
    """One merged correction during processing: the bundle's clock paused from `started_at` to
    `ended_at`. `items` lists every department's entries (name, note, item_code, department,
    department_code, number of the sub-case, requested_at); `paused_cases` the ids of the
    sub-cases the bundle paused (and resumes together)."""

    bundle_case = models.ForeignKey(
        "approvals.BundleCase",
        verbose_name=_("bundle case"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("paused working days"), default=0)
    items = models.JSONField(_("materials to correct"), default=list, blank=True)
    paused_cases = models.JSONField(_("sub-cases paused"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    materials = models.JSONField(_("materials received"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("merged correction")
        verbose_name_plural = _("merged corrections")
        ordering = ["bundle_case", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.bundle_case_id} {self.started_at:%Y-%m-%d}"


class BundleExtension(models.Model):
    """A request to extend the joint limit (once, by at most 15 working days), approved or
    rejected by the government's head."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    bundle_case = models.ForeignKey(
        "approvals.BundleCase",
        verbose_name=_("bundle case"),
        on_delete=models.PROTECT,
        related_name="extensions",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("joint extension")
        verbose_name_plural = _("joint extensions")
        ordering = ["bundle_case", "requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.bundle_case_id} +{self.days}"
