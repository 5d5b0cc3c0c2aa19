"""Organisation API.

Public (the service guide shows them):
GET /api/v1/centers                      → [{code, name, level, parent_code, address, phone, opening_hours}]
GET /api/v1/departments?center=CODE      → [{center_code, code, name, short_name, phone}]
GET /api/v1/windows?center=CODE          → [{center_code, code, name, department_code | null, floor}]

Token required:
GET /api/v1/me                           → the account: roles, permissions, data scope
GET /api/v1/staff[?department=CODE]      → the staff accounts of the centers the caller manages,
                                           for those who manage accounts (org.manage_accounts,
                                           the security administrator) only; others get 403
                                           `permission_denied`. Phone numbers masked.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from onewindow.api.limits import column
from onewindow.api.security import bearer
from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.core.masking import mask_phone
from onewindow.org import selectors
from onewindow.org.models import Center, Department, User, Window

router = Router()

MANAGE_ACCOUNTS = "org.manage_accounts"


class ErrorOut(Schema):
    code: str
    message: str
    details: object | None = None


class CenterOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    address: str
    phone: str
    opening_hours: str


class DepartmentOut(Schema):
    center_code: str
    code: str
    name: str
    short_name: str
    phone: str


class WindowOut(Schema):
    center_code: str
    code: str
    name: str
    department_code: str | None
    floor: str


class CenterFilter(Schema):
    center: str | None = Field(None, max_length=column(Center, "code"))


class NamedRef(Schema):
    code: str
    name: str


class DataScopeOut(Schema):
    kind: str
    department_codes: list[str] | None


class MeOut(Schema):
    username: str
    full_name: str
    center: NamedRef | None
    department: NamedRef | None
    window: NamedRef | None
    roles: list[str]
    permissions: list[str]
    data_scope: DataScopeOut


class StaffOut(Schema):
    username: str
    full_name: str
    department_code: str | None
    window_code: str | None
    posts: list[str]
    roles: list[str]
    phone: str


class StaffFilter(Schema):
    department: str | None = Field(None, max_length=column(Department, "code"))


def _center_or_404(code: str | None) -> Center | None:
    if not code:
        return None
    center = selectors.center_by_code(code)
    if center is None:
        raise NotFound(
            _("There is no center with the code %(code)s.") % {"code": code}, details={"center": [code]}
        )
    return center


def _ref(obj: Center | Department | Window | None) -> NamedRef | None:
    return None if obj is None else NamedRef(code=obj.code, name=obj.name)


@router.get("/centers", response={200: list[CenterOut]}, auth=None)
def list_centers(request: HttpRequest) -> list[CenterOut]:
    """Every center of the deployment."""
    return [
        CenterOut(
            code=c.code,
            name=c.name,
            level=c.level,
            parent_code=c.parent.code if c.parent is not None else None,
            address=c.address,
            phone=c.phone,
            opening_hours=c.opening_hours,
        )
        for c in selectors.centers_list()
    ]


@router.get("/departments", response={200: list[DepartmentOut], 404: ErrorOut}, auth=None)
def list_departments(request: HttpRequest, filters: Query[CenterFilter]) -> list[DepartmentOut]:
    """Active departments, of one center with ?center=CODE."""
    center = _center_or_404(filters.center)
    return [
        DepartmentOut(
            center_code=d.center.code, code=d.code, name=d.name, short_name=d.short_name, phone=d.phone
        )
        for d in selectors.departments_list(center=center)
    ]


@router.get("/windows", response={200: list[WindowOut], 404: ErrorOut}, auth=None)
def list_windows(request: HttpRequest, filters: Query[CenterFilter]) -> list[WindowOut]:
    """Active windows, of one center with ?center=CODE; department_code is null for a general window."""
    center = _center_or_404(filters.center)
    return [
        WindowOut(
            center_code=w.center.code,
            code=w.code,
            name=w.name,
            department_code=w.department.code if w.department is not None else None,
            floor=w.floor,
        )
        for w in selectors.windows_list(center=center)
    ]


@router.get("/me", response={200: MeOut, 401: ErrorOut}, auth=bearer)
def me(request: HttpRequest) -> MeOut:
    """The account the token belongs to: its roles, permissions and data scope."""
    user: User = request.user  # type: ignore[assignment]
    ids = selectors.visible_department_ids(user)
    department_codes = (
        None if ids is None else sorted(Department.objects.filter(pk__in=ids).values_list("code", flat=True))
    )
    return MeOut(
        username=user.username,
        full_name=user.full_name,
        center=_ref(user.center),
        department=_ref(user.department),
        window=_ref(user.window),
        roles=sorted(selectors.role_codes(user)),
        permissions=selectors.permission_names(user),
        data_scope=DataScopeOut(kind=user.data_scope, department_codes=department_codes),
    )


@router.get("/staff", response={200: list[StaffOut], 401: ErrorOut, 403: ErrorOut}, auth=bearer)
def list_staff(request: HttpRequest, filters: Query[StaffFilter]) -> list[StaffOut]:
    """Active staff accounts of the centers the caller manages (the security administrator:
    org.manage_accounts); ?department=CODE narrows it, never widens it. Everyone else: 403."""
    user: User = request.user  # type: ignore[assignment]
    if not user.has_perm(MANAGE_ACCOUNTS):
        raise PermissionDenied(
            _("Only those who manage staff accounts (security administrators) may list the staff.")
        )
    return [
        StaffOut(
            username=u.username,
            full_name=u.full_name,
            department_code=u.department.code if u.department is not None else None,
            window_code=u.window.code if u.window is not None else None,
            posts=[p.code for p in u.posts.all()],
            roles=sorted(g.name for g in u.groups.all()),
            phone=mask_phone(u.phone),
        )
        for u in selectors.staff_managed_by(user, department_code=filters.department)
    ]
