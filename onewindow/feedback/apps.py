from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "onewindow.feedback"
    label = "feedback"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        # A case's service occasions (submitted, accepted, completed) are recorded in the case's
        # own transaction (occasions.py; the hook pattern of ADR 0026).
        from onewindow.cases.hooks import register_status_changed
        from onewindow.feedback.occasions import case_status_changed

        register_status_changed(case_status_changed)

        # Rectification events are append-only (migration 0002): the nightly trail check and
        # `audit_grants` cover their table too.
        from onewindow.core.append_only import register_table
        from onewindow.feedback.models import RectificationEvent

        register_table(RectificationEvent._meta.db_table)

        # The QR code “扫码评价” on notices and receipts (links.py; cases asks, never imports us).
        from onewindow.cases.evaluation_links import register_evaluation_link
        from onewindow.feedback.links import notice_evaluation_link

        register_evaluation_link(notice_evaluation_link)

        # The rectifications of 差评 are supervised like steps (yellow, red, order): issue 15.
        from onewindow.feedback.rectification_sweep import LABELS, rectification_sweep
        from onewindow.supervision.sweep import register_part

        register_part(rectification_sweep, LABELS)
