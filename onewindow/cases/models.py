"""Cases (办件): the application, its steps, its append-only events, pauses, extensions,
correction requests, notices and the number sequences.

Business rules live in `transitions.py` (the state table), `clock.py` (deadlines),
`numbers.py` (case numbers) and `services.py` (every write); the statuses and their labels in
`facts.py`. Nothing here decides anything.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.cases.delivery_models import CaseDelivery as CaseDelivery  # a model of this app
from onewindow.cases.facts import CLOCK_RUNNING, PAUSED, Level, Status
from onewindow.cases.material_models import ALLOWED_FILE_EXTENSIONS as ALLOWED_FILE_EXTENSIONS
from onewindow.cases.material_models import MAX_FILE_SIZE as MAX_FILE_SIZE
from onewindow.cases.material_models import CaseFile as CaseFile  # models of this app
from onewindow.cases.material_models import CaseMaterial as CaseMaterial
from onewindow.cases.material_models import case_file_path as case_file_path  # migration 0001
from onewindow.catalog.models import ServiceItemVersion
from onewindow.core.masking import mask_id_number, mask_name, mask_phone
from onewindow.core.models import AppendOnlyError
from onewindow.org.models import Center, Department, Post, Window

# Kept under their old names for the apps that import them from here.
CASE_CLOCK_RUNNING = CLOCK_RUNNING
CASE_PAUSED = PAUSED


class Case(models.Model):
    """One application (办件) for one service item version.

    The item version is the snapshot: published versions never change, so the limits, steps
    and materials of a running case never change under it.
    """

    Status = Status

    class Channel(models.TextChoices):
        WINDOW = "window", _("window")
        ONLINE = "online", _("online")
        APPOINTMENT = "appointment", _("appointment")
        AGENT = "agent", _("agent service")
        MAIL = "mail", _("mail")

    class ApplicantKind(models.TextChoices):
        PERSON = "person", _("person")
        ENTERPRISE = "enterprise", _("enterprise")

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("resident identity card")  # 身份证
        USCC = "uscc", _("unified social credit code")  # 统一社会信用代码
        PASSPORT = "passport", _("passport")
        HK_MACAO_PERMIT = "hk_macao_permit", _("Hong Kong / Macao travel permit")
        OTHER = "other", _("other")

    class Decision(models.TextChoices):
        NONE = "", _("not decided")
        GRANTED = "granted", _("granted")
        DENIED = "denied", _("denied")

    class DeliveryMethod(models.TextChoices):
        PICKUP = "pickup", _("pickup at the window")
        MAIL = "mail", _("mail")

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where the application was received."),
    )
    item_version = models.ForeignKey(
        ServiceItemVersion, verbose_name=_("service item version"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    number = models.CharField(_("case number"), max_length=32, unique=True, null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=32, unique=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Incremented by every action (optimistic concurrency).")
    )
    # the head of the case's event chain (cases.chain, ADR 0024): the row_hash of its last event
    event_hash = models.CharField(_("last event hash"), max_length=64, blank=True, default="")

    # applicant (申请人) and agent (代办)
    applicant_kind = models.CharField(_("applicant kind"), max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices)
    applicant_id_number = models.CharField(_("ID number"), max_length=40)
    applicant_phone = models.CharField(_("phone"), max_length=20)
    applicant_address = models.CharField(_("address"), max_length=200, blank=True)
    # An enterprise applicant's legal representative (法定代表人); empty for a person.
    legal_rep_name = models.CharField(_("legal representative"), max_length=100, blank=True)
    legal_rep_id_number = models.CharField(_("legal representative's ID number"), max_length=40, blank=True)
    agent_name = models.CharField(_("agent"), max_length=100, blank=True)
    agent_id_number = models.CharField(_("agent ID number"), max_length=40, blank=True)
    agent_phone = models.CharField(_("agent phone"), max_length=20, blank=True)
    delivery_method = models.CharField(
        _("delivery method"), max_length=10, choices=DeliveryMethod.choices, default=DeliveryMethod.PICKUP
    )
    tracking_number = models.CharField(_("tracking number"), max_length=50, blank=True)

    green_channel = models.BooleanField(_("green channel"), default=False)
    green_channel_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("green channel handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    green_channel_reason = models.CharField(_("green channel reason"), max_length=300, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    answer_due_at = models.DateTimeField(
        _("answer due at"),
        null=True,
        blank=True,
        help_text=_(
            "While received and unanswered: after this moment the application counts as accepted "
            "(《行政许可法》第32条, 5 working days)."
        ),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("closed at"), null=True, blank=True, help_text=_("Refused, withdrawn or terminated.")
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, blank=True, default=""
    )

    promised_limit = models.PositiveSmallIntegerField(_("promised limit (working days)"))
    legal_limit = models.PositiveSmallIntegerField(_("legal limit (working days)"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    legal_due_at = models.DateTimeField(_("legal due at"), null=True, blank=True)
    joint = models.BooleanField(
        _("sub-case of a bundle"),
        default=False,
        help_text=_("The bundle case speaks to the applicant: this case sends no messages of its own."),
    )
    due_cap_at = models.DateTimeField(
        _("due at the latest"),
        null=True,
        blank=True,
        help_text=_("The due time never falls after this (a sub-case: its bundle's due time)."),
    )
    warn_at = models.DateTimeField(
        _("warning at"),
        null=True,
        blank=True,
        help_text=_("When the remaining time becomes at most the yellow threshold."),
    )
    level = models.PositiveSmallIntegerField(
        _("supervision level"), choices=Level.choices, default=Level.GREEN
    )
    legal_level = models.PositiveSmallIntegerField(
        _("legal limit passed"), default=0, help_text=_("1 once the legal limit has passed.")
    )
    paused_working_days = models.PositiveIntegerField(_("paused working days"), default=0)
    extension_days = models.PositiveIntegerField(_("extension (working days)"), default=0)
    correction_count = models.PositiveSmallIntegerField(_("correction requests"), default=0)
    deemed_accepted = models.BooleanField(_("deemed accepted"), default=False)
    is_instant = models.BooleanField(_("instant"), default=False)
    active_step_position = models.PositiveSmallIntegerField(_("active step"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status", "due_at"], name="case_worklist_idx"),
            models.Index(fields=["status", "due_at"], name="case_status_due_idx"),
            models.Index(fields=["status", "answer_due_at"], name="case_answer_due_idx"),
            models.Index(fields=["center", "accepted_on"], name="case_center_accepted_idx"),
            # "my cases" of a verified applicant and the consultation anomaly (issue 14) find an
            # applicant's cases by ID number or USCC
            models.Index(fields=["applicant_id_number"], name="case_applicant_id_idx"),
            models.Index(
                fields=["level", "warn_at"],
                name="case_level_warn_idx",
                condition=models.Q(status__in=CLOCK_RUNNING),
            ),
            models.Index(
                fields=["level", "due_at"],
                name="case_level_due_idx",
                condition=models.Q(status__in=CLOCK_RUNNING),
            ),
            models.Index(
                fields=["legal_level", "legal_due_at"],
                name="case_legal_level_due_idx",
                condition=models.Q(status__in=CLOCK_RUNNING),
            ),
        ]
        permissions = [
            ("accept_case", _("Can receive and accept cases at a window")),
            ("view_case", _("Can view cases")),
            ("deliver_case", _("Can hand out or mail results")),
            ("handle_step", _("Can handle process steps")),
            ("decide_case", _("Can grant or deny (decide) cases")),
            ("approve_extension", _("Can approve extensions")),
        ]
        default_permissions = ()

    def __str__(self) -> str:
        # Also the audit trail's object_repr: the applicant's name is masked like the ID number.
        return (
            f"{self.number or self.receipt_number} {mask_name(self.applicant_name)} ({self.masked_id_number})"
        )

    @property
    def display_number(self) -> str:
        return self.number or self.receipt_number

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.applicant_id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.applicant_phone)

    @property
    def masked_agent_id_number(self) -> str:
        return mask_id_number(self.agent_id_number)

    @property
    def masked_agent_phone(self) -> str:
        return mask_phone(self.agent_phone)

    @property
    def masked_legal_rep_id_number(self) -> str:
        return mask_id_number(self.legal_rep_id_number)


class CaseStep(models.Model):
    """An instance of a process-template step for one case."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACTIVE = "active", _("active")
        DONE = "done", _("done")
        RETURNED = "returned", _("returned")
        SKIPPED = "skipped", _("skipped")

    class Result(models.TextChoices):
        NONE = "", _("none")
        PASS = "pass", _("passed")
        RETURN = "return", _("returned")
        GRANT = "grant", _("granted")
        DENY = "deny", _("denied")
        DEEMED = "deemed", _("deemed approval")

    # Indexed by the unique (case, position) constraint.
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps", db_index=False
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10)
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    limit_days = models.PositiveSmallIntegerField(_("limit (working days)"))
    on_site = models.BooleanField(_("at the center"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    warn_at = models.DateTimeField(
        _("warning at"),
        null=True,
        blank=True,
        help_text=_("When the remaining time becomes at most the yellow threshold."),
    )
    level = models.PositiveSmallIntegerField(
        _("supervision level"), choices=Level.choices, default=Level.GREEN
    )
    paused_working_days = models.PositiveIntegerField(_("paused working days"), default=0)
    extension_days = models.PositiveIntegerField(_("extension (working days)"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who should handle the step (e.g. its earlier handler after a return)."),
    )
    opinion = models.TextField(_("opinion"), blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True, default="")

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="case_step_position_unique")]
        indexes = [
            models.Index(fields=["status", "post", "department", "due_at"], name="case_step_work_idx"),
            models.Index(
                fields=["level", "warn_at"],
                name="case_step_level_warn_idx",
                condition=models.Q(status="active"),
            ),
            models.Index(
                fields=["level", "due_at"],
                name="case_step_level_due_idx",
                condition=models.Q(status="active"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class CaseEvent(models.Model):
    """One entry of a case's append-only history: every action writes exactly one."""

    # Indexed by the unique (case, seq) constraint.
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events", db_index=False
    )
    seq = models.PositiveIntegerField(_("sequence"))
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, db_index=True)
    from_status = models.CharField(_("from status"), max_length=24, blank=True)
    to_status = models.CharField(_("to status"), max_length=24)
    step = models.ForeignKey(
        CaseStep,
        verbose_name=_("step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    opinion = models.TextField(_("opinion"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    public = models.BooleanField(_("shown on the public progress page"), default=False)
    # the case's hash chain (cases.chain, ADR 0024): the previous event's row_hash and this one's
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, default="")
    row_hash = models.CharField(_("hash"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.seq} {self.action} {self.from_status}→{self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("case events are append-only")


class CasePause(models.Model):
    """A pause of the clock: a special procedure (特别程序, 第45条) or a correction during processing."""

    class Kind(models.TextChoices):
        HEARING = "hearing", _("hearing")
        TESTING = "testing", _("testing")
        INSPECTION = "inspection", _("inspection")
        QUARANTINE = "quarantine", _("quarantine")
        APPRAISAL = "appraisal", _("appraisal")
        EXPERT_REVIEW = "expert_review", _("expert review")
        ON_SITE_SURVEY = "on_site_survey", _("on-site survey")
        CORRECTION = "correction", _("correction of materials")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="pauses")
    step = models.ForeignKey(
        CaseStep, verbose_name=_("step"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(_("started at"))
    expected_working_days = models.PositiveSmallIntegerField(
        _("expected working days"), null=True, blank=True
    )
    expected_end = models.DateField(_("expected end"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("paused working days"), default=0)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["case", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d}"


class CaseExtension(models.Model):
    """An extension (延期, 第42条): requested, then approved or rejected by the head of the organ."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["case", "requested_at", "id"]

    def __str__(self) -> str:
        return f"+{self.days} ({self.get_status_display()})"


class CorrectionRequest(models.Model):
    """A one-time notice (一次性告知) asking for missing or wrong materials."""

    class Phase(models.TextChoices):
        BEFORE_ACCEPTANCE = "before_acceptance", _("before acceptance")
        DURING_PROCESSING = "during_processing", _("during processing")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="correction_requests"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    items = models.JSONField(
        _("items"), default=list, help_text=_("A list of {material, name, note}: everything to correct.")
    )
    reason = models.TextField(_("reason"), blank=True, help_text=_("Required for a second request."))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["case", "issued_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.issued_at:%Y-%m-%d}"


class Notice(models.Model):
    """A notice given to the applicant. `data` is the snapshot of what it says, so it can be
    printed again identically."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("receipt")
        ACCEPTANCE = "acceptance", _("acceptance notice")
        CORRECTION = "correction", _("correction notice")
        REFUSAL = "refusal", _("refusal notice")
        SPECIAL_PROCEDURE = "special_procedure", _("special procedure notice")
        EXTENSION = "extension", _("extension notice")
        DECISION = "decision", _("decision")
        TERMINATION = "termination", _("termination notice")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("notice number"), max_length=48, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    data = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["case", "issued_at", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"


class CaseNumberSequence(models.Model):
    """The last sequence given per center, kind (case or receipt number) and day."""

    class Kind(models.TextChoices):
        CASE = "case", _("case number")
        RECEIPT = "receipt", _("receipt number")

    center = models.ForeignKey(Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    day = models.DateField(_("day"))
    last = models.PositiveIntegerField(_("last"), default=0)

    class Meta:
        verbose_name = _("case number sequence")
        verbose_name_plural = _("case number sequences")
        constraints = [
            models.UniqueConstraint(fields=["center", "kind", "day"], name="case_number_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.center_id} {self.kind} {self.day} {self.last}"
