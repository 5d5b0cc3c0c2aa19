from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "onewindow.catalog"
    label = "catalog"
    verbose_name = _("Service catalog")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from onewindow.catalog.indexing import on_department_saved
        from onewindow.org.models import Department

        post_save.connect(on_department_saved, sender=Department, dispatch_uid="catalog.reindex_department")
