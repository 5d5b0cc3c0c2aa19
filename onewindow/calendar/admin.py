"""Admin for the holiday schedule (节假日安排).

Every change goes through `calendar_set_year`, so that it is validated, audited and reaches
the cached working-day table. The year's change page and its days are therefore read-only;
a schedule is entered or edited on one page, "paste a year's schedule", which takes the whole
year as text (prefilled with the stored schedule when editing) and replaces the year in one
transaction. Editing single days through an inline would save them one by one, outside the
service's checks that look at the whole year (no date in both lists, etc.), so the inline only
shows them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.dates import WEEKDAYS
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.calendar import selectors
from onewindow.calendar.models import CalendarDay, CalendarYear
from onewindow.calendar.services import SOURCE_MAX_LENGTH, calendar_set_year, parse_schedule_text
from onewindow.calendar.statutory import statutory_holidays
from onewindow.calendar.workdays import RANGE_END, RANGE_START
from onewindow.core import clock
from onewindow.core.errors import DomainError

CHANGE_PERMISSION = "calendar.change_calendaryear"


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ("date", "weekday", "kind", "name")
    readonly_fields = ("date", "weekday", "kind", "name")
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return str(WEEKDAYS[obj.date.weekday()]) if obj.date else ""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScheduleForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=RANGE_START.year, max_value=RANGE_END.year)
    text = forms.CharField(
        label=_("schedule"),
        widget=forms.Textarea(attrs={"rows": 24, "cols": 70, "style": "font-family: monospace"}),
        required=False,
        help_text=_(
            "One entry per line: a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD, then a space and "
            "the holiday's name. Put holidays under a line “放假:” and adjusted working days "
            "(weekend days that are worked) under a line “调休上班:”. Empty: the year has no "
            "holidays and counts Monday–Friday."
        ),
    )
    confirmed = forms.BooleanField(
        label=_("confirmed"),
        required=False,
        help_text=_(
            "Tick when the schedule has been checked against the State Council notice. Until then the "
            "year counts Monday–Friday minus the statutory holidays on their own dates (no adjusted "
            "days), and every deadline in it is shown as unconfirmed."
        ),
    )
    source = forms.CharField(
        label=_("source"),
        max_length=SOURCE_MAX_LENGTH,
        required=False,
        help_text=_("E.g. the notice's title and number."),
    )


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "status", "source", "holiday_count", "adjusted_count", "updated_at", "updated_by")
    list_filter = ("confirmed",)
    fields = ("year", "status", "source", "updated_at", "updated_by")
    readonly_fields = fields
    inlines = (CalendarDayInline,)
    change_list_template = "admin/calendar/calendaryear/change_list.html"
    change_form_template = "admin/calendar/calendaryear/change_form.html"

    class Media:
        css = {"all": ["calendar/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarYear]:
        return (
            super()
            .get_queryset(request)
            .select_related("updated_by")
            .annotate(
                holiday_total=Count("days", filter=Q(days__kind=CalendarDay.Kind.HOLIDAY)),
                adjusted_total=Count("days", filter=Q(days__kind=CalendarDay.Kind.ADJUSTED_WORKDAY)),
            )
        )

    @admin.display(description=_("status"), ordering="confirmed")
    def status(self, obj: CalendarYear) -> SafeString:
        if obj.confirmed:
            return format_html('<span class="calendar-confirmed">✔ {}</span>', gettext("confirmed"))
        return format_html(
            '<strong class="calendar-unconfirmed">✘ {}</strong>',
            gettext("unconfirmed: statutory holidays only, no adjusted days"),
        )

    @admin.display(description=_("holidays"), ordering="holiday_total")
    def holiday_count(self, obj: CalendarYear) -> int:
        return int(getattr(obj, "holiday_total", 0))

    @admin.display(description=_("adjusted working days"), ordering="adjusted_total")
    def adjusted_count(self, obj: CalendarYear) -> int:
        return int(getattr(obj, "adjusted_total", 0))

    # Writes go through the paste view only (see the module docstring).
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(CHANGE_PERMISSION)

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        return redirect("admin:calendar_calendaryear_paste")

    def get_urls(self) -> list[URLPattern]:
        paste = path(
            "paste/",
            self.admin_site.admin_view(self.paste_view),
            name="calendar_calendaryear_paste",
        )
        return [paste, *super().get_urls()]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        this_year = clock.today().year
        extra_context = {
            **(extra_context or {}),
            "can_paste": request.user.has_perm(CHANGE_PERMISSION),
            "unconfirmed_years": [
                {
                    "year": year,
                    "days": "、".join(f"{day.isoformat()} {name}" for day, name in statutory_holidays(year)),
                }
                for year in selectors.unconfirmed_years(this_year, this_year + 1)
            ],
        }
        return super().changelist_view(request, extra_context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "can_paste": request.user.has_perm(CHANGE_PERMISSION)}
        return super().change_view(request, object_id, form_url, extra_context)

    def paste_view(self, request: HttpRequest) -> HttpResponse:
        """Enter or replace a whole year's schedule from pasted text."""
        if not request.user.has_perm(CHANGE_PERMISSION):
            raise PermissionDenied
        if request.method == "POST":
            form = ScheduleForm(request.POST)
            if form.is_valid():
                saved = self._save_pasted(request, form)
                if saved is not None:
                    return HttpResponseRedirect(
                        reverse("admin:calendar_calendaryear_change", args=[saved.year])
                    )
        else:
            form = ScheduleForm(initial=self._initial(request))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Paste a year's holiday schedule"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/calendar/calendaryear/paste_schedule.html", context)

    def _initial(self, request: HttpRequest) -> dict[str, Any]:
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            year = clock.today().year + 1
        year = min(max(year, RANGE_START.year), RANGE_END.year)
        row = CalendarYear.objects.filter(year=year).first()
        if row is None:
            return {"year": year, "text": "放假:\n\n调休上班:\n", "confirmed": False}
        return {
            "year": year,
            "text": selectors.schedule_text(year),
            "confirmed": row.confirmed,
            "source": row.source,
        }

    def _save_pasted(self, request: HttpRequest, form: ScheduleForm) -> CalendarYear | None:
        data = form.cleaned_data
        try:
            holidays, adjusted = parse_schedule_text(data["text"], data["year"])
            row = calendar_set_year(
                year=data["year"],
                holidays=holidays,
                adjusted_workdays=adjusted,
                confirmed=data["confirmed"],
                source=data["source"],
                actor=request.user,
            )
        except DomainError as exc:  # ValidationFailed (details per field) or Conflict
            details = exc.details if isinstance(exc.details, dict) else {}
            for field, problems in details.items():
                target = field if field in ("year", "source") else "text"
                for problem in problems:
                    form.add_error(target, problem)
            if not details:
                form.add_error(None, exc.message)
            return None
        self.log_change(request, row, gettext("Replaced the schedule from pasted text."))
        status = (
            gettext("confirmed")
            if row.confirmed
            else gettext("unconfirmed: statutory holidays only, no adjusted days")
        )
        messages.success(
            request,
            gettext(
                "The %(year)d schedule was saved: %(holidays)d holidays, "
                "%(adjusted)d adjusted working days (%(status)s)."
            )
            % {"year": row.year, "holidays": len(holidays), "adjusted": len(adjusted), "status": status},
        )
        return row
