"""Complaints (投诉), with the fields of GB/T 39046 表10, and their append-only history.

* `Complaint`: one complaint from the desk, the phone, the 12345 hotline, the public site, a hall
  touch screen or escalated from a 差评. The complainant may be anonymous (name, phone, ID number
  all blank); their identity is shown only to the complaint's handlers and the supervisors
  (selectors.may_see_identity). `query_code_digest` keeps a digest of the query code given to the
  complainant (the code itself is shown once and sent by SMS), compared in constant time.
  `due_at` is the promised limit (COMPLAINT_ANSWER_DAYS working days, or the same day for a
  simple one), `warn_at` one working day earlier; the supervision sweep sets `level`.
* `ComplaintEvent`: who did what, when and from where; refuses UPDATE and DELETE (migration 0002).
* `ComplaintCounter`: the last sequence number of each day (TS + yyyymmdd + 4 digits).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.complaints.codes import (
    OPEN_STATUSES,
    Kind,
    Level,
    NotAcceptedReason,
    Satisfaction,
    Source,
    Status,
)
from onewindow.core.masking import mask_free_text
from onewindow.org.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_OPEN = models.Q(status__in=[str(s) for s in OPEN_STATUSES])


def _user_fk(verbose: StrOrPromise) -> models.ForeignKey[User | None, User | None]:
    return models.ForeignKey(
        "org.User",
        verbose_name=verbose,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class Complaint(models.Model):
    number = models.CharField(_("complaint number"), max_length=20, unique=True)
    query_code_digest = models.CharField(_("query code digest"), max_length=64)
    center = models.ForeignKey(
        "org.Center", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REFERRAL)
    source = models.CharField(_("source"), max_length=14, choices=Source.choices)
    simple = models.BooleanField(_("simple (answer the same day)"), default=False)
    evaluation = models.OneToOneField(
        "feedback.Evaluation",
        verbose_name=_("bad rating"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaint",
    )
    # the complainant (may be anonymous: all blank)
    complainant_name = models.CharField(_("complainant"), max_length=50, blank=True)
    complainant_phone = models.CharField(_("complainant's phone"), max_length=20, blank=True)
    complainant_id_number = models.CharField(_("complainant's ID number"), max_length=40, blank=True)
    # who is complained about (all optional)
    respondent_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("respondent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    respondent_window = models.ForeignKey(
        "org.Window",
        verbose_name=_("respondent window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    respondent_staff = _user_fk(_("respondent staff"))
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"))
    registered_by = _user_fk(_("registered by"))
    # handling
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("handling department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = _user_fk(_("handler"))
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.REGISTERED)
    due_at = models.DateTimeField(_("promised limit"))
    warn_at = models.DateTimeField(_("yellow at"))
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    extension_reason = models.CharField(_("extension reason"), max_length=500, blank=True)
    extended_by = _user_fk(_("extended by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = _user_fk(_("answered by"))
    days_overdue = models.PositiveSmallIntegerField(_("days overdue"), default=0)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=14, choices=Satisfaction.choices, blank=True, default=""
    )
    callback_note = models.TextField(_("call-back record"), blank=True)
    callback_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    callback_by = _user_fk(_("called back by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    valid = models.BooleanField(_("valid complaint"), null=True, blank=True)
    validity_reason = models.TextField(_("validity reasons"), blank=True)
    judged_at = models.DateTimeField(_("judged at"), null=True, blank=True)
    judged_by = _user_fk(_("judged by"))
    not_accepted_reason = models.CharField(
        _("reason not accepted"), max_length=24, choices=NotAcceptedReason.choices, blank=True, default=""
    )
    not_accepted_reply = models.TextField(_("reply"), blank=True)
    level = models.PositiveSmallIntegerField(
        _("supervision level"), choices=Level.choices, default=Level.GREEN
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        permissions = [
            ("register_complaint", _("Can register complaints")),
            ("handle_complaint", _("Can handle complaints of the department")),
            ("judge_complaint", _("Can supervise complaints and decide their validity")),
        ]
        default_permissions = ()
        indexes = [
            # the sweep: open complaints by their deadlines (partial: closed ones cost nothing)
            models.Index(fields=["due_at"], condition=_OPEN, name="complaint_open_due"),
            models.Index(fields=["warn_at"], condition=_OPEN, name="complaint_open_warn"),
            models.Index(fields=["center", "status", "received_at"], name="complaint_center_status"),
            models.Index(fields=["department", "status"], name="complaint_dept_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {mask_free_text(self.title)[:60]}"

    @property
    def anonymous(self) -> bool:
        return not (self.complainant_name or self.complainant_phone or self.complainant_id_number)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ComplaintEvent(models.Model):
    """The append-only history of a complaint: who did what, when, from where."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=16)
    actor = _user_fk(_("by"))
    note = models.TextField(_("note"), blank=True)
    client_ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "id"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action}"


class ComplaintCounter(models.Model):
    day = models.DateField(_("day"), primary_key=True)
    last = models.PositiveIntegerField(_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("complaint number counter")
        verbose_name_plural = _("complaint number counters")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.day} {self.last}"
