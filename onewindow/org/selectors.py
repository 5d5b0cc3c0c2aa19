"""Reading organisation data, and the one place data scope is computed."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.org.models import Center, Department, User, Window

M = TypeVar("M", bound=Model)


def request_account(request: HttpRequest) -> User:
    """The signed-in staff account of a request, typed for the services' `actor`. The views that
    call it require a login; an anonymous request is refused all the same."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied(_("Sign in with a staff account first."))
    return user


def _active_account(user: Any) -> bool:
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
    )


def visible_department_ids(user: Any) -> set[int] | None:
    """The ids of the departments whose data `user` may see; None means every department of
    the user's center. Computed only from the account itself: never from request parameters.

    An inactive or anonymous account, or one without a center, sees no department. Selected
    departments outside the user's own center are ignored.
    """
    if not _active_account(user) or not user.center_id:
        return set()
    if user.data_scope == User.Scope.CENTER:
        return None
    ids: set[int] = set()
    if user.department_id:
        ids.add(user.department_id)
    if user.data_scope == User.Scope.DEPARTMENTS:
        ids.update(
            Department.objects.filter(
                pk__in=user.scope_departments.all(), center_id=user.center_id
            ).values_list("id", flat=True)
        )
    return ids


def in_data_scope(user: Any, *, center_id: int | None, department_id: int | None) -> bool:
    """Whether one row of `center_id` and `department_id` lies in `user`'s data scope: the same
    rule as `scope_queryset`, for a row already read (an inactive or anonymous account, or one
    without a center, sees nothing; a row without a department is seen only center-wide)."""
    if not _active_account(user) or not user.center_id or user.center_id != center_id:
        return False
    ids = visible_department_ids(user)
    return ids is None or department_id in ids


def _center_lookup(center_field: str) -> str:
    # "center" → "center_id" (no join); a path such as "case__center" is used as it is.
    return center_field if "__" in center_field else f"{center_field}_id"


def scope_queryset(
    queryset: QuerySet[M],
    user: Any,
    *,
    department_field: str = "department",
    center_field: str | None = "center",
) -> QuerySet[M]:
    """Limit `queryset` to the rows `user` may see.

    `department_field` is the lookup path from the model to its department; `center_field`
    the path to its center (None when the model has none: rows are then limited through the
    department, which belongs to a center). A user without a center sees nothing; an account
    limited to departments does not see rows without a department. Filters from request
    parameters may only narrow the result further (apply them to the returned query set).
    """
    if not _active_account(user) or not user.center_id:
        return queryset.none()
    ids = visible_department_ids(user)
    if center_field is not None:
        queryset = queryset.filter(**{_center_lookup(center_field): user.center_id})
    elif ids is None:
        # No center path on the model: "the whole center" means the departments of the center.
        own = department_field in ("id", "pk")  # the rows are departments themselves
        queryset = queryset.filter(
            **{"center_id" if own else f"{department_field}__center_id": user.center_id}
        )
    if ids is None:
        return queryset
    return queryset.filter(**{f"{department_field}__in": sorted(ids)})


def departments_for(user: Any) -> QuerySet[Department]:
    """The departments `user` may see."""
    return scope_queryset(Department.objects.all(), user, department_field="id")


def role_codes(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(user.groups.values_list("name", flat=True))


def permission_names(user: Any) -> list[str]:
    """Every permission of an active account, as sorted "app_label.codename" names."""
    if not _active_account(user):
        return []
    return sorted(user.get_all_permissions())


def center_subtree_ids(center_id: int) -> set[int]:
    """`center_id` and the ids of every center below it in the hierarchy."""
    found = {center_id}
    frontier = {center_id}
    while frontier:
        frontier = set(Center.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return found


def center_by_code(code: str) -> Center | None:
    return Center.objects.filter(code=(code or "").strip().upper()).first()


def centers_list() -> QuerySet[Center]:
    """Every center, parents first within the code order (public information)."""
    return Center.objects.select_related("parent").order_by("code")


def departments_list(*, center: Center | None = None) -> QuerySet[Department]:
    """Active departments (public information), of one center when given."""
    qs = Department.objects.filter(active=True).select_related("center")
    if center is not None:
        qs = qs.filter(center=center)
    return qs.order_by("center__code", "position", "code")


def windows_list(*, center: Center | None = None) -> QuerySet[Window]:
    """Active windows (public information), of one center when given."""
    qs = Window.objects.filter(active=True).select_related("center", "department")
    if center is not None:
        qs = qs.filter(center=center)
    return qs.order_by("center__code", "code")


def staff_for(user: Any, *, department_code: str | None = None) -> QuerySet[User]:
    """The active staff accounts `user` may see (their data scope), optionally narrowed to one
    department by its code. The narrowing can never widen the scope."""
    qs = scope_queryset(User.objects.filter(is_active=True), user)
    if department_code:
        qs = qs.filter(department__code=department_code.strip().upper())
    return (
        qs.select_related("center", "department", "window")
        .prefetch_related(Prefetch("groups"), Prefetch("posts"))
        .order_by("department__code", "username")
    )


def staff_managed_by(user: Any, *, department_code: str | None = None) -> QuerySet[User]:
    """The active staff accounts of the centers `user` manages (its center and those below it;
    every center for a deployment-level account without a center), optionally narrowed to one
    department by its code. For account managers: the caller checks org.manage_accounts."""
    if not _active_account(user):
        return User.objects.none()
    qs = User.objects.filter(is_active=True, is_superuser=False)
    if user.center_id:
        qs = qs.filter(center_id__in=center_subtree_ids(user.center_id))
    if department_code:
        qs = qs.filter(department__code=department_code.strip().upper())
    return (
        qs.select_related("center", "department", "window")
        .prefetch_related(Prefetch("groups"), Prefetch("posts"))
        .order_by("center__code", "department__code", "username")
    )


def window_by_code(center_id: int, code: str) -> Window:
    """The window of the center with `code` (case-insensitive); NotFound."""
    window = (
        Window.objects.filter(center_id=center_id, code=(code or "").strip().upper())
        .select_related("department", "center")
        .first()
    )
    if window is None:
        raise NotFound(_("There is no window %(code)s in your center.") % {"code": code})
    return window


def window_staff(window: Window) -> QuerySet[User]:
    """The active accounts working at `window`, by name."""
    return User.objects.filter(window=window, is_active=True).order_by("full_name", "username")
