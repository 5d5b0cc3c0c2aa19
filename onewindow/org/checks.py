"""System checks for the organisation: 三员分立 means no account holds every right."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError


@checks.register("onewindow", deploy=False)
def no_superusers(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from onewindow.org.models import User

    try:
        names = list(
            User.objects.filter(is_superuser=True, is_active=True).values_list("username", flat=True)
        )
    except DatabaseError:  # not migrated yet
        return []
    if not names:
        return []
    return [
        checks.Error(
            "Active superuser accounts exist: "
            + ", ".join(sorted(names))
            + ". A superuser holds every right, which breaks the separation of the system, security "
            "and audit administrators (三员分立).",
            hint="Create the three administrators with `python manage.py create_admins` (never "
            "`createsuperuser`), then remove the superuser accounts: `python manage.py shell -c "
            '"from onewindow.org.models import User; '
            'User.objects.filter(is_superuser=True).update(is_superuser=False, is_active=False)"`.',
            id="org.E001",
        )
    ]
