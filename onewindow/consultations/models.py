"""Online consultation (在线咨询): an applicant's question to a department, the thread, the
waits for a reply and their levels, the items' frequent questions, and the consultation hours.

* `Consultation`: about an item (its department answers) or general (the applicant chose the
  department). Status: waiting (an applicant message is unanswered), answered, closed.
* `ConsultationMessage`: the thread, append-only (applicant or staff).
* `ConsultationWait`: each applicant message that finds no open wait starts one; a staff reply
  ends it. `due_at` (the reply deadline, GB/T 39046 表10 承诺时限) is 5 working minutes after
  the message, `warn_at` 3 (settings CONSULTATION_RED_MINUTES / _YELLOW_MINUTES); the levels task
  marks it yellow and red. `extension_minutes`/`extension_reason` (延期时限/原因) and
  `overdue_days` (超期天数) complete the 表10 fields. The waits are what the statistics count.
* `FrequentQuestion`: an item's 常见问题, ordered, published or not.
* `WorkingPeriod`: the consultation hours as data (per center, or for every center with
  `center` empty); without any row, 09:00–12:00 and 13:00–17:00 (`clock.DEFAULT_PERIODS`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.core.masking import mask_free_text


class Level(models.IntegerChoices):
    GREEN = 0, _("on time")
    YELLOW = 1, _("yellow")
    RED = 2, _("red")


class Consultation(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for a reply")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    center = models.ForeignKey(
        "org.Center", on_delete=models.PROTECT, related_name="+", verbose_name=_("center")
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service item"),
    )
    item_name = models.CharField(_("service item name"), max_length=200, blank=True)
    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="consultations", verbose_name=_("applicant")
    )
    enterprise = models.ForeignKey(
        "identity.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    # the ID number the applicant would apply with (the enterprise's USCC when acting for one):
    # what the anomaly check looks for among the cases of the item
    applicant_id_number = models.CharField(_("ID number"), max_length=40, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    asked_at = models.DateTimeField(_("asked at"))
    last_message_at = models.DateTimeField(_("last message at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        permissions = [
            ("reply_consultation", _("Can reply to online consultations")),
            ("manage_faq", _("Can manage the frequent questions of service items")),
        ]
        indexes = [
            models.Index(fields=["department", "status"], name="consult_dept_status"),
            models.Index(fields=["person", "asked_at"], name="consult_person_asked"),
            models.Index(fields=["item", "applicant_id_number"], name="consult_item_applicant"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {mask_free_text(self.subject)[:60]}"


class ConsultationMessage(models.Model):
    class Author(models.TextChoices):
        APPLICANT = "applicant", _("applicant")
        STAFF = "staff", _("staff")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(_("author"), max_length=10, choices=Author.choices)
    staff = models.ForeignKey(
        "org.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("staff")
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("consultation message")
        verbose_name_plural = _("consultation messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.author} {self.created_at:%Y-%m-%d %H:%M}"


class ConsultationWait(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="waits")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey(ConsultationMessage, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("asked at"))
    day = models.DateField(_("day"), help_text=_("The local day the clock started on."))
    warn_at = models.DateTimeField(_("yellow at"))
    due_at = models.DateTimeField(_("reply due"))
    extension_minutes = models.PositiveIntegerField(_("extension (working minutes)"), default=0)
    extension_reason = models.CharField(_("extension reason"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.GREEN)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "org.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    working_minutes = models.FloatField(_("working minutes waited"), null=True, blank=True)
    overdue_days = models.PositiveSmallIntegerField(_("days overdue"), default=0)

    class Meta:
        verbose_name = _("wait for a reply")
        verbose_name_plural = _("waits for a reply")
        indexes = [
            models.Index(fields=["ended_at", "level"], name="consult_wait_open_level"),
            models.Index(fields=["department", "day"], name="consult_wait_dept_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation"],
                condition=models.Q(ended_at__isnull=True),
                name="consult_one_open_wait",
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def late(self) -> bool:
        """Answered (or ended) after the deadline."""
        return self.ended_at is not None and self.answered_at is not None and self.answered_at > self.due_at


class FrequentQuestion(models.Model):
    item = models.ForeignKey("catalog.ServiceItem", on_delete=models.CASCADE, related_name="+")
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("frequent question")
        verbose_name_plural = _("frequent questions")
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return self.question[:60]


class WorkingPeriod(models.Model):
    center = models.ForeignKey(
        "org.Center",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("center"),
        help_text=_("Empty: every center without periods of its own."),
    )
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))

    class Meta:
        verbose_name = _("consultation hours")
        verbose_name_plural = _("consultation hours")
        ordering = ["center", "starts"]

    def __str__(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"
