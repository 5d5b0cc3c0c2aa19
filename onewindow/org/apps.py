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
        from onewindow.org import (  # noqa: F401  (registers the system checks)
            admin_requests,
            admin_site,
            checks,
        )

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="onewindow.org.sync_roles")
        admin_site.install()
        self._connect_actor_cache()
        self._connect_signin()

    def _connect_signin(self) -> None:
        """Sessions start their clocks at sign-in; sign-outs are audited (issue 12 §1)."""
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from onewindow.org import sessions

        user_logged_in.connect(sessions.on_logged_in, dispatch_uid="onewindow.org.sessions.in")
        user_logged_out.connect(sessions.on_logged_out, dispatch_uid="onewindow.org.sessions.out")

    def _connect_actor_cache(self) -> None:
        """Any change to what onewindow.org.actors keeps drops this process's copies at once."""
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from onewindow.org import actors
        from onewindow.org.models import Center, Post, User, Window

        for model in (User, Group, Post, Window, Center):
            post_save.connect(actors.forget, sender=model, dispatch_uid=f"actors-save-{model.__name__}")
            post_delete.connect(actors.forget, sender=model, dispatch_uid=f"actors-delete-{model.__name__}")
        for through in (
            User.groups.through,
            User.posts.through,
            User.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(actors.forget, sender=through, dispatch_uid=f"actors-m2m-{through.__name__}")
