"""Create or update one group per role with exactly its permissions (also done after every migrate)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from onewindow.org.roles import ROLE_BY_CODE
from onewindow.org.services import org_sync_roles


class Command(BaseCommand):
    help = "Create or update the role groups from onewindow.org.roles (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        groups = org_sync_roles()
        for code, group in groups.items():
            self.stdout.write(f"{code:22} {ROLE_BY_CODE[code].name}: {group.permissions.count()} permissions")
        self.stdout.write(self.style.SUCCESS(f"{len(groups)} roles synced."))
