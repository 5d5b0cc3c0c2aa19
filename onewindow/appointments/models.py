"""Appointments (预约办理, wave2.md §2): business types, the slot calendar as data, bookings,
no-shows, bans and appeals.

* `BusinessType` (业务类型): a group of items served at the same windows, with a letter code per
  center (the hall's queue numbers its tickets by it) and a daily ticket cap for the queue.
* The calendar: `SlotRule` rows (per business type: working days, start/end, slot length,
  capacity, valid from/until) plus `ExtraSlot` rows administrators add (延时服务 after hours,
  节假日预约 on a non-working day). `Slot` is the per-slot counter row a booking increments with a
  conditional UPDATE, so capacity is never exceeded under concurrent booking.
* `Booking`: booked → checked_in | missed | cancelled. One active booking per ID number per
  business type (a partial unique constraint).
* `BookingBan`: 3 no-shows within 90 days ban booking for 30 days (settings), or for good
  (`permanent`); lifted by a supervisor (audited). `BanAppeal`: the applicant's text.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onewindow.core.masking import mask_id_number, mask_name


class BusinessType(models.Model):
    center = models.ForeignKey(
        "org.Center", on_delete=models.PROTECT, related_name="+", verbose_name=_("center")
    )
    letter = models.CharField(
        _("letter code"),
        max_length=1,
        validators=[RegexValidator(r"^[A-Z]$", _("One capital letter A to Z."))],
    )
    name = models.CharField(_("name"), max_length=100)
    items = models.ManyToManyField(
        "catalog.ServiceItem", blank=True, related_name="+", verbose_name=_("items")
    )
    windows = models.ManyToManyField("org.Window", blank=True, related_name="+", verbose_name=_("windows"))
    preferred_window = models.ForeignKey(
        "org.Window",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preferred window"),
    )
    daily_ticket_cap = models.PositiveIntegerField(
        _("daily ticket cap"), default=0, help_text=_("Tickets per day in the hall's queue; 0: no cap.")
    )
    # the hours the hall's ticket dispenser issues tickets of this type (empty: the whole day)
    opens_at = models.TimeField(_("tickets from"), null=True, blank=True)
    closes_at = models.TimeField(_("tickets until"), null=True, blank=True)
    icon = models.CharField(
        _("icon"),
        max_length=20,
        blank=True,
        help_text=_("A short symbol or word shown on the ticket dispenser."),
    )
    bookable = models.BooleanField(_("bookable online"), default=True)
    active = models.BooleanField(_("active"), default=True)
    # moves with every change of the slot rules, extra slots or items: the key of plans.py's cache
    revision = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    class Meta:
        verbose_name = _("business type")
        verbose_name_plural = _("business types")
        ordering = ["center_id", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["center", "letter"], name="appointments_business_letter_unique")
        ]
        permissions = [
            ("check_in_booking", _("Can check in an appointment")),
            ("book_for_applicant", _("Can book an appointment for an applicant")),
            ("lift_ban", _("Can lift an appointment ban")),
            ("manage_calendar", _("Can manage the appointment calendar")),
        ]

    def __str__(self) -> str:
        return f"{self.letter} {self.name}"


class SlotRule(models.Model):
    """Slots on the calendar's working days (optionally only some weekdays) between `start` and
    `end`, `slot_minutes` long, `capacity` each, from `valid_from` until `valid_until`."""

    business = models.ForeignKey(
        BusinessType, on_delete=models.CASCADE, related_name="rules", verbose_name=_("business type")
    )
    weekdays = models.CharField(
        _("weekdays"),
        max_length=7,
        default="1234567",
        validators=[RegexValidator(r"^[1-7]{1,7}$", _("ISO weekdays 1 (Monday) to 7 (Sunday)."))],
        help_text=_("Of the working days, only these ISO weekdays (1 Monday … 7 Sunday)."),
    )
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    capacity = models.PositiveSmallIntegerField(_("capacity per slot"), default=5)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("slot rule")
        verbose_name_plural = _("slot rules")
        ordering = ["business_id", "start"]

    def __str__(self) -> str:
        return f"{self.business.letter} {self.start:%H:%M}–{self.end:%H:%M}"


class ExtraSlot(models.Model):
    """Slots an administrator adds on one day: after hours on a working day (延时服务) or on a
    non-working day (节假日预约, which makes the day an extra service day of the business)."""

    class Kind(models.TextChoices):
        AFTER_HOURS = "after_hours", _("after hours")
        HOLIDAY = "holiday", _("non-working day")

    business = models.ForeignKey(
        BusinessType, on_delete=models.CASCADE, related_name="extras", verbose_name=_("business type")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.AFTER_HOURS)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), null=True, blank=True, help_text=_("Empty: one slot.")
    )
    capacity = models.PositiveSmallIntegerField(_("capacity per slot"), default=5)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("extra slot")
        verbose_name_plural = _("extra slots")
        ordering = ["date", "start"]
        indexes = [models.Index(fields=["business", "date"], name="appointments_extra_day")]

    def __str__(self) -> str:
        return f"{self.business.letter} {self.date} {self.start:%H:%M}–{self.end:%H:%M}"


class Slot(models.Model):
    """The counter row of one slot on one day (created when the day is first shown or booked)."""

    business = models.ForeignKey(
        BusinessType, on_delete=models.CASCADE, related_name="slots", verbose_name=_("business type")
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)
    extra = models.BooleanField(_("extra slot"), default=False)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["date", "start"]
        constraints = [
            models.UniqueConstraint(fields=["business", "date", "start"], name="appointments_slot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.business.letter} {self.date} {self.start:%H:%M} {self.booked}/{self.capacity}"

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        CHECKED_IN = "checked_in", _("checked in")
        MISSED = "missed", _("missed")
        CANCELLED = "cancelled", _("cancelled")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PHONE = "phone", _("by phone at the center")

    code = models.CharField(_("appointment code"), max_length=16, unique=True)
    business = models.ForeignKey(
        BusinessType, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("business type")
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot"))
    item = models.ForeignKey(
        "catalog.ServiceItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item"),
    )
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    id_number = models.CharField(_("ID number"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20)
    person = models.ForeignKey(
        "identity.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by (applicant)"),
    )
    booked_by = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by (staff)"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.BOOKED)
    booked_at = models.DateTimeField(_("booked at"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    missed_at = models.DateTimeField(_("missed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "id_number"],
                condition=Q(status="booked"),
                name="appointments_one_active_booking",
            )
        ]
        indexes = [
            models.Index(fields=["status", "ends_at"], name="appointments_booking_due"),
            models.Index(fields=["id_number", "status"], name="appointments_booking_person"),
            models.Index(fields=["date", "business"], name="appointments_booking_day"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {mask_name(self.name)} {mask_id_number(self.id_number)}"


class BookingBan(models.Model):
    """No booking for this ID number until `until` (inclusive), or for good when `permanent`."""

    id_number = models.CharField(_("ID number"), max_length=40, db_index=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"))
    until = models.DateField(_("banned until"), null=True, blank=True)
    permanent = models.BooleanField(_("permanent"), default=False)
    reason = models.CharField(_("reason"), max_length=200)
    no_shows = models.PositiveSmallIntegerField(_("no-shows counted"), default=0)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lift_reason = models.CharField(_("reason for lifting"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("appointment ban")
        verbose_name_plural = _("appointment bans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{mask_id_number(self.id_number)} {self.until or '∞'}"


class BanAppeal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        GRANTED = "granted", _("granted: ban lifted")
        REJECTED = "rejected", _("rejected")

    ban = models.ForeignKey(
        BookingBan, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("ban")
    )
    person = models.ForeignKey(
        "identity.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applicant"),
    )
    text = models.TextField(_("appeal"), max_length=1000)
    submitted_at = models.DateTimeField(_("submitted at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.CharField(_("answer"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("ban appeal")
        verbose_name_plural = _("ban appeals")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.ban} {self.get_status_display()}"
