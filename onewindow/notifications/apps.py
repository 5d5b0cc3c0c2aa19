from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def default_templates_after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Infrastructure: after `migrate` or `flush`, every default template code exists."""
    from onewindow.notifications.defaults import ensure_default_templates
    from onewindow.notifications.models import MessageTemplate

    if MessageTemplate._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated backwards past the table
    ensure_default_templates(MessageTemplate)


class NotificationsConfig(AppConfig):
    name = "onewindow.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        post_migrate.connect(
            default_templates_after_migrate, sender=self, dispatch_uid="onewindow.notifications.templates"
        )
        from onewindow.notifications.models import MessageTemplate
        from onewindow.notifications.services import forget_templates

        for signal in (post_save, post_delete):
            signal.connect(forget_templates, sender=MessageTemplate, dispatch_uid=f"templates-{signal}")
