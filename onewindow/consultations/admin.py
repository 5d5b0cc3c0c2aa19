from django.contrib import admin

from onewindow.consultations.models import WorkingPeriod


@admin.register(WorkingPeriod)
class WorkingPeriodAdmin(admin.ModelAdmin):
    """The consultation hours (a reply is due within 5 working minutes of them)."""

    list_display = ["center", "starts", "ends"]
