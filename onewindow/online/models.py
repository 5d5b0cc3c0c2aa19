"""Online applications (网上申报) and their pre-review (网上预审).

An `OnlineApplication` is the applicant's side of an application: a draft they edit, then a
submission that enters the department's pre-review queue. Submitting creates the ordinary case
(`cases.services.case_submit_online`, status submitted, a receipt number), linked here one to
one; the case engine keeps the legal clock, this app keeps the pre-review clock and rounds.

Status (the applicant's view):

    draft → submitted (in pre-review) → returned (correction list) → submitted (round 2) …
          → passed_originals (pre-review passed: bring the originals once) → accepted
          → accepted (passed: the case is accepted, number + electronic acceptance notice)
          → refused (with reason and rights) · withdrawn (by the applicant)

A bundle (一件事) applied for online has `bundle_code` set and `item_code` empty: `online/bundles.py`.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.core.masking import mask_free_text


class OnlineApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("in pre-review")
        RETURNED = "returned", _("returned for correction")
        PASSED_ORIGINALS = "passed_originals", _("passed: bring the originals once")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    center = models.ForeignKey(
        "org.Center", on_delete=models.PROTECT, related_name="+", verbose_name=_("center")
    )
    item_code = models.CharField(_("item code"), max_length=64, blank=True)
    bundle_code = models.CharField(_("bundle code"), max_length=64, blank=True)
    # Who acted: the signed-in person, and the enterprise they acted for (as its legal
    # representative or an authorised agent), when any.
    person = models.ForeignKey(
        "identity.Person",
        on_delete=models.PROTECT,
        related_name="online_applications",
        verbose_name=_("applicant"),
    )
    enterprise = models.ForeignKey(
        "identity.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="online_applications",
        verbose_name=_("enterprise"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    form = models.JSONField(_("form"), default=dict, blank=True)
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="online_application",
        verbose_name=_("case"),
    )
    round = models.PositiveSmallIntegerField(_("pre-review round"), default=0)
    prereview_due_at = models.DateTimeField(_("pre-review due"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("pre-review decided at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # 资料共享 at submission: material id (str) → the case number whose result provides it
    shared = models.JSONField(_("shared materials"), default=dict, blank=True)
    # A bundle (一件事): the situation answers, the department that pre-reviews it (the bundle's
    # lead department) and, once accepted, the bundle case (`online/bundles.py`).
    answers = models.JSONField(_("situation answers"), default=dict, blank=True)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pre-reviewing department"),
    )
    bundle_case = models.OneToOneField(
        "approvals.BundleCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="online_application",
        verbose_name=_("bundle case"),
    )

    class Meta:
        verbose_name = _("online application")
        verbose_name_plural = _("online applications")
        permissions = [("prereview_application", "Can pre-review online applications")]
        indexes = [models.Index(fields=["person", "status"], name="online_app_person_status")]

    def __str__(self) -> str:
        return f"{self.item_code or self.bundle_code} #{self.pk} {self.status}"


def online_file_path(instance: OnlineFile | OnlineBundleFile, filename: str) -> str:
    """MEDIA_ROOT/online/<application id>/<random>.<extension>: never the applicant's own name
    (it may hold an ID number); the original name is kept in the row."""
    ext = PurePosixPath(filename).suffix.lower()[:6]
    return str(PurePosixPath("online") / str(instance.application_id) / f"{uuid.uuid4().hex}{ext}")


class OnlineFile(models.Model):
    """A file the applicant uploaded for one of the item's materials. Stored at once (streamed);
    attached to the case (sharing the stored file) when the application is submitted in a round
    (`sent_round`); a file not yet sent may be removed."""

    application = models.ForeignKey(
        OnlineApplication,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("online application"),
    )
    material = models.ForeignKey(
        "catalog.Material", on_delete=models.PROTECT, related_name="+", verbose_name=_("material")
    )
    file = models.FileField(_("file"), upload_to=online_file_path, max_length=255)
    original_name = models.CharField(_("original name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    sent_round = models.PositiveSmallIntegerField(_("sent in round"), null=True, blank=True)

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")
        ordering = ["application", "uploaded_at", "id"]

    def __str__(self) -> str:
        return mask_free_text(self.original_name)


class OnlineBundleFile(models.Model):
    """A file uploaded for one material of a bundle's de-duplicated list (its position and name
    in the bundle's list). Kept here: the bundle case records its materials as a list, not
    files; the staff see them through the online application (`web:prereview_file`)."""

    application = models.ForeignKey(
        OnlineApplication,
        on_delete=models.CASCADE,
        related_name="bundle_files",
        verbose_name=_("online application"),
    )
    material_position = models.PositiveSmallIntegerField(_("bundle material"))
    material_name = models.CharField(_("material"), max_length=200)
    file = models.FileField(_("file"), upload_to=online_file_path, max_length=255)
    original_name = models.CharField(_("original name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    sent_round = models.PositiveSmallIntegerField(_("sent in round"), null=True, blank=True)

    class Meta:
        verbose_name = _("uploaded bundle file")
        verbose_name_plural = _("uploaded bundle files")
        ordering = ["application", "uploaded_at", "id"]

    def __str__(self) -> str:
        return mask_free_text(self.original_name)


class PreReviewRound(models.Model):
    """One round of pre-review: submitted (or resubmitted) → reviewed with an outcome."""

    class Outcome(models.TextChoices):
        PASS = "pass", _("passed: accepted")
        PASS_ORIGINALS = "pass_originals", _("passed: bring the originals once")
        RETURN = "return", _("returned for correction")
        REFUSE = "refuse", _("refused")

    application = models.ForeignKey(
        OnlineApplication,
        on_delete=models.CASCADE,
        related_name="rounds",
        verbose_name=_("online application"),
    )
    number = models.PositiveSmallIntegerField(_("round"))
    submitted_at = models.DateTimeField(_("submitted at"))
    due_at = models.DateTimeField(_("pre-review due"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    corrections = models.JSONField(_("corrections"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("pre-review round")
        verbose_name_plural = _("pre-review rounds")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="online_round_unique")]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.number} {self.outcome}"


class PreReviewSetting(models.Model):
    """An item's own pre-review clock (working days); items without one use
    settings.PRE_REVIEW_DAYS."""

    center = models.ForeignKey(
        "org.Center", on_delete=models.CASCADE, related_name="+", verbose_name=_("center")
    )
    item_code = models.CharField(_("item code"), max_length=64)
    days = models.PositiveSmallIntegerField(_("pre-review working days"))

    class Meta:
        verbose_name = _("pre-review setting")
        verbose_name_plural = _("pre-review settings")
        constraints = [
            models.UniqueConstraint(fields=["center", "item_code"], name="online_prereview_setting_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_code}: {self.days}"
