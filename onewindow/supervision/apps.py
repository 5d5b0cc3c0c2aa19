from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "onewindow.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        # The yellow thresholds are supervision data; cases asks for them through this hook
        # (docs/adr/0008-supervision-levels.md).
        from onewindow.cases.clock import register_threshold_provider
        from onewindow.supervision.selectors import thresholds

        register_threshold_provider(thresholds)

        # A calendar edit recomputes the stored deadlines of the open cases (cases registers that
        # hook first) without case events: the next sweep re-checks every open flag.
        from onewindow.calendar.services import register_year_changed
        from onewindow.supervision.resolution import calendar_changed

        register_year_changed(calendar_changed)
