"""Reading organisation data, and the one place data scope is computed."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from onewindow.org.models import Department, User

M = TypeVar("M", bound=Model)


def visible_department_ids(user: Any) -> set[int] | None:
    """The ids of the departments whose data `user` may see; None means every department of
    the user's center. Computed only from the account itself: never from request parameters."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return set()
    if user.data_scope == User.Scope.CENTER:
        return None
    ids: set[int] = set()
    if user.department_id:
        ids.add(user.department_id)
    if user.data_scope == User.Scope.DEPARTMENTS:
        ids.update(user.scope_departments.values_list("id", flat=True))
    return ids


def scope_queryset(
    queryset: QuerySet[M],
    user: Any,
    *,
    department_field: str = "department",
    center_field: str | None = "center",
) -> QuerySet[M]:
    """Limit `queryset` to the rows `user` may see.

    `department_field` is the lookup path from the model to its department; `center_field`
    the path to its center (None when the model has none). A user without a center sees nothing.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return queryset.none()
    if not user.center_id:
        return queryset.none()
    if center_field is not None:
        queryset = queryset.filter(
            **{f"{center_field}_id" if "__" not in center_field else center_field: user.center_id}
        )
    ids = visible_department_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(Q(**{f"{department_field}__in": ids}))


def departments_for(user: Any) -> QuerySet[Department]:
    return scope_queryset(Department.objects.all(), user, department_field="id")


def role_codes(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(user.groups.values_list("name", flat=True))
