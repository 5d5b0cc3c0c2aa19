from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "onewindow.attendance"
    label = "attendance"
    verbose_name = _("Attendance")

    def ready(self) -> None:
        # Clock records and leave decisions are append-only (migration 0002).
        from onewindow.attendance.models import ClockRecord, LeaveDecision
        from onewindow.core.append_only import register_table

        register_table(ClockRecord._meta.db_table)
        register_table(LeaveDecision._meta.db_table)
