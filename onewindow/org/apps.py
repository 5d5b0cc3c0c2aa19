from __future__ import annotations

from typing import Any

from django.apps import AppConfig, apps
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_roles_after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Infrastructure, not domain behaviour: after `migrate` (and `flush`) has created every
    app's permissions, make sure each role's group exists with exactly its permissions.

    post_migrate is sent once per app; the roles are synced on the last one, when the
    permissions of every app exist."""
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if not with_models or sender.label != with_models[-1].label:
        return
    if "auth_group" not in connections[using].introspection.table_names():
        return  # migrated backwards past the auth tables
    from onewindow.org.services import org_sync_roles

    org_sync_roles()


class OrgConfig(AppConfig):
    name = "onewindow.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from onewindow.org import admin_site, checks  # noqa: F401  (registers the system checks)

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="onewindow.org.sync_roles")
        admin_site.install()
