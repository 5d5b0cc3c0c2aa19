"""Creating a demo account: the same steps for the loader's accounts and the hall's (one password
hash for all of them, the audit entry `user.create`, the roles through `user_set_roles`)."""

from __future__ import annotations

from typing import Any

from onewindow.core import audit
from onewindow.demo.data.accounts import DEMO_PASSWORD
from onewindow.org.accounts import user_set_roles
from onewindow.org.models import Center, Post, User
from onewindow.org.roles import needs_admin_site


def demo_account_create(
    *,
    spec: dict[str, Any],
    center: Center,
    department_id: int | None,
    window_id: int | None,
    posts: list[Post],
    password_hash: str | None,
) -> tuple[User, str]:
    """Create the account of `spec` (username, full_name, data_scope, roles, posts) with the
    demo password; `password_hash`: the hash of an earlier account (hashing is deliberately
    slow, and the demo password is public anyway), or None to compute it. Returns the account
    and the hash for the next one."""
    user = User(
        username=spec["username"],
        full_name=spec["full_name"],
        center=center,
        department_id=department_id,
        window_id=window_id,
        data_scope=spec["data_scope"],
        is_staff=needs_admin_site(spec["roles"]),
        is_superuser=False,
    )
    if password_hash is None:
        user.set_password(DEMO_PASSWORD)
        password_hash = user.password
    else:
        user.password = password_hash
    user.save()
    user.posts.set(posts)
    audit.record(
        action="user.create",
        obj=user,
        after={
            "username": user.username,
            "full_name": user.full_name,
            "center_id": center.pk,
            "department_id": user.department_id,
            "window_id": user.window_id,
            "data_scope": user.data_scope,
            "posts": sorted(spec["posts"]),
            "source": "demo",
        },
    )
    user_set_roles(user=user, roles=spec["roles"], actor=None)
    return user, password_hash
