"""The hall (wave2.md §5, issue 16): queue tickets and calling (排队叫号), window status (去向留言),
what the hall's screens show and announce.

* `Ticket`: one per visit to the queue. Its number is `{prefix}{letter}{NNN}` (prefix V for
  priority / green channel, Y for an appointment check-in, none for a walk-in), the sequence
  per business type per local day (`DaySequence`, a counter row bumped with a conditional
  UPDATE), unique per (center, date, number). States: waiting → called → serving → served;
  skipped (with a reason), void (never called, never listed), not_served (still waiting at day
  end). `queued_at` is the time that orders the queue: a transfer keeps it.
* `TicketEvent`: append-only, one row per thing that happened to a ticket (issued, printed,
  called, recalled, skipped, transferred, …) with who, when, from where.
* `WindowState`: one row per window: open / paused / away / closed with a message and the
  expected return, the ticket it serves, the run of priority calls (the starvation rule).
  `WindowStatusPeriod` is the ledger of those states (time paused is recorded).
* `HallBoard`: one row per center whose `version` moves with everything a screen shows; the
  screens poll it cheaply. `Announcement`: the calls a screen shows and speaks, in order.
* `HallNotice`: the center's notices on the screens.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onewindow.core.masking import mask_phone


class DaySequence(models.Model):
    """The last sequence number of a business type on a local day (the counter of ticket numbers)."""

    business = models.ForeignKey(
        "appointments.BusinessType",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("business type"),
    )
    date = models.DateField(_("date"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("day sequence")
        verbose_name_plural = _("day sequences")
        constraints = [models.UniqueConstraint(fields=["business", "date"], name="hall_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.business_id} {self.date} {self.last}"


class Ticket(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        CALLED = "called", _("called")
        SERVING = "serving", _("being served")
        SERVED = "served", _("served")
        SKIPPED = "skipped", _("skipped")
        VOID = "void", _("void")
        NOT_SERVED = "not_served", _("not served")

    class Source(models.TextChoices):
        KIOSK = "kiosk", _("ticket dispenser")
        DESK = "desk", _("front desk")
        APPOINTMENT = "appointment", _("appointment check-in")
        API = "api", _("API")

    class PriorityReason(models.TextChoices):
        ELDERLY = "elderly", _("elderly person")
        DISABLED = "disabled", _("person with a disability")
        MILITARY = "military", _("military or veteran")
        GREEN_CHANNEL = "green_channel", _("green channel (key project)")
        OTHER = "other", _("other priority")

    class Lane(models.IntegerChoices):
        # an integer, not a boolean, so that the index `hall_ticket_queue` takes `lane = 0` as an
        # equality (a boolean column is filtered as a bare truth test, which no index serves)
        PLAIN = 0, _("plain queue")
        FLAGGED = 1, _("may jump the queue")

    ACTIVE = (Status.WAITING, Status.CALLED, Status.SERVING)

    center = models.ForeignKey(
        "org.Center", on_delete=models.PROTECT, related_name="+", verbose_name=_("center")
    )
    business = models.ForeignKey(
        "appointments.BusinessType",
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("business type"),
    )
    date = models.DateField(_("date"))
    sequence = models.PositiveIntegerField(_("sequence"))
    prefix = models.CharField(_("prefix"), max_length=1, blank=True)
    number = models.CharField(_("number"), max_length=8)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.KIOSK)
    priority = models.BooleanField(_("priority"), default=False)
    priority_reason = models.CharField(
        _("priority reason"), max_length=16, choices=PriorityReason.choices, blank=True
    )
    booking = models.OneToOneField(
        "appointments.Booking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket",
        verbose_name=_("appointment"),
    )
    # when an appointment ticket is due (the booking's start): the key "appointment due now"
    due_at = models.DateTimeField(_("appointment time"), null=True, blank=True)
    phone = models.CharField(_("phone for the “almost your turn” SMS"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.WAITING)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    # the time that orders the queue; a transfer keeps it (the ticket keeps its place)
    queued_at = models.DateTimeField(_("in the queue since"))
    prints = models.PositiveSmallIntegerField(_("prints"), default=0)
    # priority, pinned, transferred, reserved for a window or an appointment: the ticket may jump
    # the plain queue (hall.order.next_candidates reads these few apart from the plain queue)
    lane = models.PositiveSmallIntegerField(_("queue lane"), choices=Lane.choices, default=Lane.PLAIN)
    pinned = models.BooleanField(_("pinned"), default=False)
    transferred = models.BooleanField(_("transferred"), default=False)
    # a ticket transferred to (or reserved for) one window: only that window calls it
    target_window = models.ForeignKey(
        "org.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for window"),
    )
    window = models.ForeignKey(
        "org.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
    )
    staff = models.ForeignKey(
        "org.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("clerk")
    )
    first_called_at = models.DateTimeField(_("first called at"), null=True, blank=True)
    called_at = models.DateTimeField(_("last called at"), null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(_("recalls"), default=0)
    started_at = models.DateTimeField(_("service started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("service finished at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)  # skipped, void, not served
    close_reason = models.CharField(_("reason"), max_length=200, blank=True)
    almost_sms_at = models.DateTimeField(_("“almost your turn” SMS at"), null=True, blank=True)
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="+", verbose_name=_("cases"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["queued_at", "sequence"]
        constraints = [
            # not (business, date, sequence): a ticket transferred to another business keeps its
            # number and sequence (migration 0003); the number stays unique in the center's day
            models.UniqueConstraint(fields=["center", "date", "number"], name="hall_ticket_number_unique"),
        ]
        indexes = [
            models.Index(fields=["center", "date", "status"], name="hall_ticket_day_status"),
            # the candidates of call-next: one business's waiting tickets in queue order
            models.Index(
                fields=["business", "queued_at", "sequence"],
                name="hall_ticket_waiting",
                condition=Q(status="waiting"),
            ),
            models.Index(fields=["window", "status"], name="hall_ticket_window_status"),
            # a day's plain queue in time order, and its few tickets that may jump it
            models.Index(
                fields=["center", "date", "status", "lane", "queued_at", "sequence"],
                name="hall_ticket_queue",
            ),
        ]
        permissions = [
            ("issue_ticket", _("Can issue a queue ticket")),
            ("call_ticket", _("Can call and serve queue tickets at a window")),
            ("manage_queue", _("Can pin, transfer and void any ticket of the center")),
            ("view_queue", _("Can watch the queue, the windows and their figures")),
            ("manage_hall", _("Can manage the hall's notices and screens")),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.number}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @property
    def wait_seconds(self) -> int | None:
        """Wait = first call − issue (wave2.md §5)."""
        if self.first_called_at is None:
            return None
        return int((self.first_called_at - self.issued_at).total_seconds())

    @property
    def service_seconds(self) -> int | None:
        """Service = end − start."""
        if self.started_at is None or self.finished_at is None:
            return None
        return int((self.finished_at - self.started_at).total_seconds())


class TicketEvent(models.Model):
    """Append-only (migration 0002's triggers): what happened to a ticket, who, when, from where."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("issued")
        PRINTED = "printed", _("printed")
        REPRINTED = "reprinted", _("reprinted")
        VOIDED = "voided", _("voided")
        CALLED = "called", _("called")
        RECALLED = "recalled", _("recalled")
        SKIPPED = "skipped", _("skipped")
        TRANSFERRED = "transferred", _("transferred")
        STARTED = "started", _("service started")
        FINISHED = "finished", _("service finished")
        PINNED = "pinned", _("pinned")
        UNPINNED = "unpinned", _("unpinned")
        CASE_LINKED = "case_linked", _("case linked")
        SMS_SENT = "sms_sent", _("“almost your turn” SMS sent")
        CLOSED = "closed", _("closed at day end")

    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, related_name="events", verbose_name=_("ticket")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        "org.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    window = models.ForeignKey(
        "org.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
    )
    from_business = models.ForeignKey(
        "appointments.BusinessType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from business type"),
    )
    to_business = models.ForeignKey(
        "appointments.BusinessType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to business type"),
    )
    from_window = models.ForeignKey(
        "org.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from window"),
    )
    to_window = models.ForeignKey(
        "org.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to window"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["ticket", "at"], name="hall_ticket_event_at")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind}"


class WindowState(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PAUSED = "paused", _("service paused")
        AWAY = "away", _("away")
        CLOSED = "closed", _("closed")

    window = models.OneToOneField(
        "org.Window",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="hall_state",
        verbose_name=_("window"),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.CLOSED)
    message = models.CharField(_("message"), max_length=100, blank=True)  # 去向留言
    expected_return = models.DateTimeField(_("expected back at"), null=True, blank=True)
    since = models.DateTimeField(_("since"), null=True, blank=True)
    staff = models.ForeignKey(
        "org.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("clerk")
    )
    current = models.ForeignKey(
        Ticket,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current ticket"),
    )
    priority_run = models.PositiveSmallIntegerField(_("priority calls in a row"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("window status")
        verbose_name_plural = _("window statuses")

    def __str__(self) -> str:
        return f"{self.window_id} {self.status}"


class WindowStatusPeriod(models.Model):
    """The ledger of a window's states: one row per period, closed (`ended_at`) when the next begins."""

    window = models.ForeignKey(
        "org.Window", on_delete=models.PROTECT, related_name="+", verbose_name=_("window")
    )
    status = models.CharField(_("status"), max_length=8, choices=WindowState.Status.choices)
    message = models.CharField(_("message"), max_length=100, blank=True)
    staff = models.ForeignKey(
        "org.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("clerk")
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("window status period")
        verbose_name_plural = _("window status periods")
        ordering = ["started_at", "pk"]
        indexes = [models.Index(fields=["window", "started_at"], name="hall_status_period_at")]

    def __str__(self) -> str:
        return f"{self.window_id} {self.status} {self.started_at:%Y-%m-%d %H:%M}"


class HallBoard(models.Model):
    """One row per center: `version` moves (in the same transaction) with every call, recall,
    transfer, window status and notice, so a screen asks "anything new since version N?" cheaply."""

    center = models.OneToOneField(
        "org.Center", on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("center")
    )
    version = models.PositiveBigIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hall board")
        verbose_name_plural = _("hall boards")

    def __str__(self) -> str:
        return f"{self.center_id} v{self.version}"


class Announcement(models.Model):
    """A call shown and spoken on the screens: "请 A001 号 到 Z01 号窗口"."""

    class Kind(models.TextChoices):
        CALL = "call", _("call")
        RECALL = "recall", _("recall")
        TRANSFER = "transfer", _("transfer")
        PAUSE = "pause", _("service paused")
        WELCOME = "welcome", _("welcome")

    center = models.ForeignKey(
        "org.Center", on_delete=models.CASCADE, related_name="+", verbose_name=_("center")
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ticket")
    )
    window = models.ForeignKey(
        "org.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("window"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=8, blank=True)
    window_code = models.CharField(_("window"), max_length=20, blank=True)
    text = models.CharField(_("text"), max_length=100)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["pk"]
        indexes = [models.Index(fields=["center", "at"], name="hall_announcement_at")]

    def __str__(self) -> str:
        return self.text


class HallNotice(models.Model):
    """A notice of the center shown on its screens (e.g. opening hours on a holiday)."""

    center = models.ForeignKey(
        "org.Center", on_delete=models.CASCADE, related_name="+", verbose_name=_("center")
    )
    text = models.CharField(_("text"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("shown"), default=True)
    starts_on = models.DateField(_("shown from"), null=True, blank=True)
    ends_on = models.DateField(_("shown until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("hall notice")
        verbose_name_plural = _("hall notices")
        ordering = ["center_id", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:40]
