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

A bundle (一件事) applied for online plugs in with `bundle_code` set and `item_code` empty.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        verbose_name = _("online application")
        verbose_name_plural = _("online applications")
        permissions = [("prereview_application", "Can pre-review online applications")]
        indexes = [models.Index(fields=["person", "status"], name="online_app_person_status")]

    def __str__(self) -> str:
        return f"{self.item_code or self.bundle_code} #{self.pk} {self.status}"
