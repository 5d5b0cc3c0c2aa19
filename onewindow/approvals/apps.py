from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "onewindow.approvals"
    label = "approvals"
    verbose_name = _("Parallel approval")

    def ready(self) -> None:
        # A sub-case's decision may open the bundle's next phase or decide the bundle, in the
        # sub-case's transaction (ADR 0026).
        from onewindow.approvals.progress import sub_case_status_changed
        from onewindow.cases.hooks import register_status_changed

        register_status_changed(sub_case_status_changed)

        # Bundle events are append-only (migration 0002): the nightly trail check and
        # `audit_grants` cover their table too.
        from onewindow.approvals.models import BundleEvent
        from onewindow.core.append_only import register_table

        register_table(BundleEvent._meta.db_table)
