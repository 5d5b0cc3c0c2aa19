from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "onewindow.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from onewindow.core.converters import IdConverter

        register_converter(IdConverter, "id")
