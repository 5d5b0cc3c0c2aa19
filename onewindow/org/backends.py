"""The authentication backend: Django's ModelBackend, answering permission questions from the
per-process copy of the account's permissions when `org.actors.prime` attached one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class StaffBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        perms = getattr(user_obj, "ow_perms", None)
        if perms is None or obj is not None:
            return super().get_all_permissions(user_obj, obj)
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(perms)
