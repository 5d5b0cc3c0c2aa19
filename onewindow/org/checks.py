"""System checks for the organisation: 三员分立 means no account holds every right, and every
right comes from a role of org/roles.py (no edited group, no permission given to one account)."""

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


@checks.register("onewindow", deploy=False)
def rights_only_from_roles(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A group holding a permission its role does not list (e.g. core.view_auditentry given to the
    security administrator's group by a database edit), or an account with permissions of its own,
    breaks the separation of duties."""
    from django.contrib.auth.models import Group

    from onewindow.org.models import User
    from onewindow.org.roles import ROLE_BY_CODE

    try:
        groups = list(Group.objects.prefetch_related("permissions__content_type"))
        direct = sorted(
            User.objects.filter(user_permissions__isnull=False).values_list("username", flat=True).distinct()
        )
    except DatabaseError:  # not migrated yet
        return []
    problems = []
    for group in groups:
        allowed = set(ROLE_BY_CODE[group.name].permissions) if group.name in ROLE_BY_CODE else set()
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        extra = sorted(held - allowed)
        if extra:
            problems.append(f"group {group.name}: {', '.join(extra)}")
    if direct:
        problems.append(f"accounts with permissions of their own: {', '.join(direct)}")
    if not problems:
        return []
    return [
        checks.Error(
            "Rights that do not come from org/roles.py (三员分立): " + "; ".join(problems) + ".",
            hint="Run `python manage.py sync_roles` to reset the role groups, and remove the "
            "accounts' own permissions (User.user_permissions); every right comes from a role.",
            id="org.E002",
        )
    ]
