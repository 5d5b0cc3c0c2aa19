from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    name = "onewindow.hall"
    label = "hall"
    verbose_name = _("Hall")

    def ready(self) -> None:
        # Ticket events are append-only (migration 0002): the nightly trail check and
        # `audit_grants` cover their table too.
        from onewindow.core.append_only import register_table
        from onewindow.hall.models import TicketEvent

        register_table(TicketEvent._meta.db_table)

        # A booking checked in (at the window or at the ticket dispenser) becomes a Y ticket in
        # the check-in's own transaction (appointments asks, never imports us).
        from onewindow.appointments.hooks import register_checked_in
        from onewindow.hall.tickets import booking_checked_in

        register_checked_in(booking_checked_in)
