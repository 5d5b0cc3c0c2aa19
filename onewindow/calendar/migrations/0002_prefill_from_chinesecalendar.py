"""Fill the holiday schedules of every year the installed `chinesecalendar` package knows.

Self-contained on purpose (it does not import onewindow.calendar.package), so that it
keeps doing the same thing whatever the code becomes. Later package releases are loaded
with `manage.py calendar_sync_package`.
"""

from django.db import migrations


def _chinese(english):
    from chinese_calendar import Holiday

    if not english:
        return ""
    try:
        return Holiday(english).chinese
    except ValueError:
        return english


def prefill(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("calendar", "CalendarYear")
    CalendarDay = apps.get_model("calendar", "CalendarDay")
    source = f"chinesecalendar {getattr(chinese_calendar, '__version__', 'unknown')}"
    known = sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    existing = set(CalendarYear.objects.filter(year__in=known).values_list("year", flat=True))
    new_years = [y for y in known if y not in existing]
    CalendarYear.objects.bulk_create([CalendarYear(year=y, confirmed=True, source=source) for y in new_years])
    wanted = set(new_years)
    days = [
        CalendarDay(date=day, year_id=day.year, kind="holiday", name=_chinese(name))
        for day, name in chinese_calendar.holidays.items()
        if day.year in wanted
    ]
    days += [
        CalendarDay(date=day, year_id=day.year, kind="adjusted_workday", name=_chinese(name))
        for day, name in chinese_calendar.workdays.items()
        if day.year in wanted
    ]
    CalendarDay.objects.bulk_create(days, batch_size=500)


def unfill(apps, schema_editor):
    CalendarYear = apps.get_model("calendar", "CalendarYear")
    CalendarYear.objects.filter(source__startswith="chinesecalendar ", updated_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("calendar", "0001_holiday_schedule"),
    ]

    operations = [
        migrations.RunPython(prefill, unfill, elidable=False),
    ]
