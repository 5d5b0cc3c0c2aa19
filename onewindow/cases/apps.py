from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "onewindow.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from onewindow.calendar.services import register_year_changed
        from onewindow.cases.services import recompute_after_calendar_change

        register_year_changed(recompute_after_calendar_change)
