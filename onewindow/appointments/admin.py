"""Admin for the appointment calendar (预约日历): business types, slot rules and extra slots
(延时服务, 节假日预约). Saves and deletes go through `setup` (appointments.manage_calendar,
validated, audited, the counter rows follow). Bookings and bans are shown, never edited here
(the staff page web:appointments checks in and lifts bans)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from onewindow.appointments import setup
from onewindow.appointments.models import Booking, BookingBan, BusinessType, ExtraSlot, SlotRule


def _may(request: HttpRequest) -> bool:
    return request.user.has_perm(setup.MANAGE_CALENDAR)


class _ThroughServices(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return _may(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may(request)

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        setup.calendar_entry_save(entry=obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        setup.calendar_entry_delete(entry=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            setup.calendar_entry_delete(entry=obj, actor=request.user)


class SlotRuleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = SlotRule
    extra = 0
    fields = ("weekdays", "start", "end", "slot_minutes", "capacity", "valid_from", "valid_until")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BusinessType)
class BusinessTypeAdmin(_ThroughServices):
    list_display = ("letter", "name", "center", "preferred_window", "daily_ticket_cap", "bookable", "active")
    list_filter = ("center", "active")
    filter_horizontal = ("items", "windows")
    inlines = [SlotRuleInline]

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:  # type: ignore[type-arg]
        for field in ("items", "windows"):
            setup.set_members(
                business=form.instance, field=field, values=form.cleaned_data[field], actor=request.user
            )


@admin.register(SlotRule)
class SlotRuleAdmin(_ThroughServices):
    list_display = (
        "business",
        "weekdays",
        "start",
        "end",
        "slot_minutes",
        "capacity",
        "valid_from",
        "valid_until",
    )
    list_filter = ("business",)


@admin.register(ExtraSlot)
class ExtraSlotAdmin(_ThroughServices):
    list_display = ("business", "date", "kind", "start", "end", "slot_minutes", "capacity", "note")
    list_filter = ("business", "kind")
    date_hierarchy = "date"


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(_ReadOnly):
    list_display = ("code", "business", "date", "starts_at", "status", "channel")
    list_filter = ("status", "business", "channel")
    search_fields = ("code",)
    exclude = ("id_number", "name", "phone")


@admin.register(BookingBan)
class BookingBanAdmin(_ReadOnly):
    list_display = ("__str__", "created_at", "until", "permanent", "lifted_at")
    exclude = ("id_number", "name")
