from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "onewindow.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        # Complaint events are append-only (migration 0002): the nightly trail check and
        # `audit_grants` cover their table too.
        from onewindow.complaints.models import ComplaintEvent
        from onewindow.core.append_only import register_table

        register_table(ComplaintEvent._meta.db_table)

        # Open complaints are supervised by the sweep: yellow (reminder), red (order).
        from onewindow.complaints.sweep import LABELS, complaints_sweep
        from onewindow.supervision.sweep import register_part

        register_part(complaints_sweep, dict(LABELS))
