from django.apps import AppConfig
from django.urls import register_converter
from django.urls.converters import get_converters
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "onewindow.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from onewindow.core.converters import IdConverter

        if "id" not in get_converters():  # ready() runs again when a test reloads the apps
            register_converter(IdConverter, "id")
