"""Admin for the organisation: centers (hierarchy), departments, windows, posts, staff accounts.

Every save goes through the org services, so it is validated and audited. A form is checked by
running its service in a savepoint that is rolled back, so the service's messages appear next
to the fields; the save then runs the service for real. Nothing is ever deleted here.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from onewindow.core import clock
from onewindow.core.admin import ReadOnlyAdmin
from onewindow.core.errors import DomainError
from onewindow.core.masking import mask_phone
from onewindow.org import services, signin
from onewindow.org.duties import refusal_record
from onewindow.org.models import Center, Department, Post, SignInLock, User, Window
from onewindow.org.roles import ROLES
from onewindow.org.selectors import center_subtree_ids, request_account, role_codes


class _Rollback(Exception):
    pass


def service_error(call: Callable[[], Any]) -> DomainError | None:
    """Run `call` in a savepoint that is always rolled back; the domain error it raised, if any."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return None
    except DomainError as exc:
        return exc


def add_service_error(form: forms.BaseForm, exc: DomainError, field_map: dict[str, str]) -> None:
    """Show a domain error on the form: messages on their fields, the rest at the top."""
    placed = False
    if isinstance(exc.details, dict):
        for key, messages in exc.details.items():
            field = field_map.get(key, key)
            if field in form.fields and not form.has_error(field):
                for message in messages if isinstance(messages, list | tuple) else [messages]:
                    form.add_error(field, str(message))
                placed = True
    if not placed:
        form.add_error(None, exc.message)


def managed_center_ids(user: Any) -> set[int] | None:
    """The centers `user` administers; None means all (a deployment-level account)."""
    if not getattr(user, "center_id", None):
        return None
    return center_subtree_ids(user.center_id)


class ServiceAdmin(admin.ModelAdmin):
    """Saves through a service (see the module docstring); no deletion."""

    error_field_map: dict[str, str] = {}

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(base):  # type: ignore[valid-type,misc]
            def clean(self) -> dict[str, Any]:
                cleaned = super().clean()
                if not self._errors:
                    target = self.instance if self.instance.pk else None
                    error = service_error(lambda: model_admin.call_service(request, target, cleaned))
                    if error is not None:
                        add_service_error(self, error, model_admin.error_field_map)
                        model_admin.refused(request, target, error)
                return cleaned

        return ServiceForm

    def refused(self, request: HttpRequest, obj: Any, error: DomainError) -> None:
        """A form the service refused; StaffAdmin records refused attempts on the duties."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = self.call_service(request, obj if change else None, form.cleaned_data)
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service has already set the many-to-many fields."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def limit_centers(
        self, request: HttpRequest, queryset: QuerySet[Any], field: str = "center"
    ) -> QuerySet[Any]:
        ids = managed_center_ids(request.user)
        return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


@admin.register(Center)
class CenterAdmin(ServiceAdmin):
    list_display = ["code", "hierarchy", "level", "phone", "opening_hours"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "parent__parent", "parent__parent__parent"]
    fields = ["code", "name", "level", "parent", "address", "phone", "opening_hours"]

    @admin.display(description=_("center (hierarchy)"), ordering="name")
    def hierarchy(self, obj: Center) -> str:
        names = [obj.name]
        node = obj.parent
        while node is not None and len(names) < 6:
            names.append(node.name)
            node = node.parent
        return " › ".join(reversed(names))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["code"] if obj is not None else []

    def get_queryset(self, request: HttpRequest) -> QuerySet[Center]:
        return self.limit_centers(request, super().get_queryset(request), field="id")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":
            kwargs["queryset"] = self.limit_centers(request, Center.objects.all(), field="id")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Center:
        return services.center_save(
            center=obj,
            code=data.get("code") or (obj.code if obj is not None else ""),
            name=data.get("name", ""),
            level=data.get("level", ""),
            parent=data.get("parent"),
            address=data.get("address", ""),
            phone=data.get("phone", ""),
            opening_hours=data.get("opening_hours", ""),
            actor=request_account(request),
        )


@admin.register(Department)
class DepartmentAdmin(ServiceAdmin):
    list_display = ["code", "name", "short_name", "center", "phone", "position", "active"]
    list_filter = ["active", "center"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["center"]
    fields = ["center", "code", "name", "short_name", "phone", "position", "active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["center"] if obj is not None else []

    def get_queryset(self, request: HttpRequest) -> QuerySet[Department]:
        return self.limit_centers(request, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "center":
            kwargs["queryset"] = self.limit_centers(request, Center.objects.all(), field="id")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Department:
        return services.department_save(
            department=obj,
            center=obj.center if obj is not None else data["center"],
            code=data.get("code", ""),
            name=data.get("name", ""),
            short_name=data.get("short_name", ""),
            phone=data.get("phone", ""),
            position=data.get("position") or 0,
            active=bool(data.get("active")),
            actor=request_account(request),
        )


@admin.register(Window)
class WindowAdmin(ServiceAdmin):
    list_display = ["code", "name", "center", "department_or_general", "floor", "active"]
    list_filter = ["active", "center"]
    search_fields = ["code", "name"]
    list_select_related = ["center", "department"]
    fields = ["center", "code", "name", "department", "floor", "active"]

    @admin.display(description=_("department"), ordering="department__code")
    def department_or_general(self, obj: Window) -> str:
        return str(obj.department) if obj.department_id else str(_("general window (综合窗口)"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["center"] if obj is not None else []

    def get_queryset(self, request: HttpRequest) -> QuerySet[Window]:
        return self.limit_centers(request, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "center":
            kwargs["queryset"] = self.limit_centers(request, Center.objects.all(), field="id")
        if db_field.name == "department":
            kwargs["queryset"] = self.limit_centers(request, Department.objects.select_related("center"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Window:
        return services.window_save(
            window=obj,
            center=obj.center if obj is not None else data["center"],
            code=data.get("code", ""),
            name=data.get("name", ""),
            department=data.get("department"),
            floor=data.get("floor", ""),
            active=bool(data.get("active")),
            actor=request_account(request),
        )


@admin.register(Post)
class PostAdmin(ServiceAdmin):
    list_display = ["code", "name", "position"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "position"]

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Post:
        return services.post_save(
            post=obj,
            code=data.get("code", ""),
            name=data.get("name", ""),
            position=data.get("position") or 0,
            actor=request_account(request),
        )


ROLE_CHOICES = [(role.code, role.name) for role in ROLES]


def _roles_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("roles"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The system, security and audit administrator roles are mutually exclusive (三员分立). "
            "Accounts with an administrator role can open this admin site."
        ),
    )


class StaffAddForm(forms.ModelForm):
    password1 = forms.CharField(label=_("password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(
        label=_("password (again)"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("Enter the same password again."),
    )
    roles = _roles_field()

    class Meta:
        model = User
        fields = [
            "username",
            "full_name",
            "phone",
            "center",
            "department",
            "window",
            "posts",
            "data_scope",
            "scope_departments",
        ]

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords differ."))
        return second or ""


class StaffChangeForm(forms.ModelForm):
    roles = _roles_field()

    class Meta:
        model = User
        fields = [
            "full_name",
            "phone",
            "center",
            "department",
            "window",
            "posts",
            "data_scope",
            "scope_departments",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(role_codes(self.instance))


# The signed-in account of the admin's password view (Django builds the form without the request).
_password_actor: ContextVar[User | None] = ContextVar("org_admin_password_actor", default=None)


class StaffPasswordForm(forms.Form):
    """Sets a password through org.services.user_set_password (validated, audited, 三员分立: an
    administrator's password is reset only through an approved administrator account change)."""

    required_css_class = "required"
    password1 = forms.CharField(label=_("new password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("new password (again)"), strip=False, widget=forms.PasswordInput)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        self.actor = _password_actor.get()
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            error = service_error(
                lambda: services.user_set_password(user=self.user, password=first, actor=self.actor)
            )
            if error is not None:
                # this page shows field errors only: a refusal without fields goes on the password
                details = error.details if isinstance(error.details, dict) else {"password": [error.message]}
                error.details = details
                add_service_error(self, error, {"password": "password1"})
                refusal_record(actor=self.actor, user=self.user, error=error, attempted="admin:set_password")
        cleaned["set_usable_password"] = True
        return cleaned

    def save(self, commit: bool = True) -> User:
        return services.user_set_password(
            user=self.user, password=self.cleaned_data["password1"], actor=self.actor
        )

    @property
    def changed_data(self) -> list[str]:
        return ["password"]


@admin.register(User)
class StaffAdmin(ServiceAdmin, DjangoUserAdmin):
    form = StaffChangeForm
    add_form = StaffAddForm
    change_password_form = StaffPasswordForm
    error_field_map = {"password": "password1"}
    list_display = [
        "username",
        "full_name",
        "center",
        "department",
        "window",
        "role_names",
        "masked_phone",
        "is_active",
    ]
    list_filter = ["is_active", "data_scope", "groups", "center", "department"]
    search_fields = ["username", "full_name"]
    list_select_related = ["center", "department", "window"]
    ordering = ["username"]
    filter_horizontal = ["posts", "scope_departments"]
    actions = ["unlock_accounts", "reset_second_factor"]  # sign-in and second factor (issue 12 §1)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["username", "password_link", "last_login", "date_joined"] if obj is not None else []

    @admin.action(description=_("Unlock the selected accounts (after too many failed sign-ins)"))
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        unlock_accounts(self, request, queryset)

    fieldsets = [
        (None, {"fields": ["username", "password_link", "full_name", "phone"]}),
        (_("Place"), {"fields": ["center", "department", "window", "posts"]}),
        (_("Rights"), {"fields": ["roles", "data_scope", "scope_departments", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2", "full_name", "phone"]}),
        (_("Place"), {"fields": ["center", "department", "window", "posts"]}),
        (_("Rights"), {"fields": ["roles", "data_scope", "scope_departments"]}),
    ]

    @admin.action(description=_("Reset the second factor of the selected accounts"), permissions=["change"])
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """A lost phone: the account sets up its second factor again (audited)."""
        actor = request_account(request)
        for user in queryset:
            try:
                services.totp_reset(user=user, actor=actor)
            except DomainError as exc:
                self.message_user(request, f"{user.username}: {exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(user)s: the second factor was reset; the account sets it up again.")
                    % {"user": user.username},
                    messages.SUCCESS,
                )

    @admin.display(description=_("roles"))
    def role_names(self, obj: User) -> str:
        names = {role.code: str(role.name) for role in ROLES}
        return "、".join(names.get(g.name, g.name) for g in obj.groups.all())

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: User) -> str:
        return mask_phone(obj.phone)

    @admin.display(description=_("password"))
    def password_link(self, obj: User) -> str:
        if obj.pk is None:
            return ""
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Set a new password"))

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return self.limit_centers(request, super().get_queryset(request).prefetch_related("groups"))

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        token = _password_actor.set(request_account(request))
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _password_actor.reset(token)

    def refused(self, request: HttpRequest, obj: Any, error: DomainError) -> None:
        refusal_record(
            actor=request_account(request),
            user=obj,
            error=error,
            attempted="admin:change_user" if obj is not None else "admin:add_user",
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "center":
            kwargs["queryset"] = self.limit_centers(request, Center.objects.all(), field="id")
        if db_field.name in ("department", "window"):
            kwargs["queryset"] = self.limit_centers(
                request, db_field.related_model.objects.select_related("center")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "scope_departments":
            kwargs["queryset"] = self.limit_centers(request, Department.objects.select_related("center"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def call_service(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> User:
        if obj is None:
            return services.user_create(
                username=data.get("username", ""),
                password=data.get("password1", ""),
                full_name=data.get("full_name", ""),
                center=data.get("center"),
                department=data.get("department"),
                window=data.get("window"),
                posts=data.get("posts") or (),
                roles=data.get("roles") or (),
                data_scope=data.get("data_scope", ""),
                scope_departments=data.get("scope_departments") or (),
                phone=data.get("phone", ""),
                actor=request_account(request),
            )
        return services.user_update(
            user=obj,
            actor=request_account(request),
            full_name=data.get("full_name", ""),
            center=data.get("center"),
            department=data.get("department"),
            window=data.get("window"),
            posts=data.get("posts") or (),
            roles=data.get("roles") or (),
            data_scope=data.get("data_scope", ""),
            scope_departments=data.get("scope_departments") or (),
            phone=data.get("phone", ""),
            is_active=bool(data.get("is_active")),
        )


# Roles are groups generated from org/roles.py (`org_sync_roles`): nobody edits them here, so no
# one can give a group (or themselves) a permission such as core.view_auditentry.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(ReadOnlyAdmin, DjangoGroupAdmin):
    """Read-only: the roles' permissions come from org/roles.py only."""


@admin.register(SignInLock)
class SignInLockAdmin(ReadOnlyAdmin):
    """The usernames locked after too many failed sign-ins (issue 12 §1), for the security
    administrator: read-only; unlocking is an action here and on the staff accounts list."""

    list_display = ["username", "locked_at", "locked_until", "still_locked"]
    search_fields = ["username"]
    ordering = ["-locked_at"]
    actions = ["unlock_accounts"]

    @admin.display(description=_("still locked"), boolean=True)
    def still_locked(self, obj: SignInLock) -> bool:
        return obj.locked_until > clock.now()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("org.manage_accounts")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_queryset(self, request: HttpRequest) -> QuerySet[SignInLock]:
        """A center's security administrator sees the locks of its accounts' usernames only."""
        queryset = super().get_queryset(request)
        ids = managed_center_ids(request.user)
        if ids is None:
            return queryset
        names = User.objects.filter(center_id__in=ids).annotate(key=Lower("username")).values("key")
        return queryset.filter(username__in=names)

    @admin.action(description=_("Unlock the selected accounts (after too many failed sign-ins)"))
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[SignInLock]) -> None:
        keys = [lock.username for lock in queryset]
        unlock_accounts(self, request, User.objects.annotate(key=Lower("username")).filter(key__in=keys))


def unlock_accounts(model_admin: admin.ModelAdmin[Any], request: HttpRequest, users: QuerySet[User]) -> None:
    """Unlock `users` through org.signin (a security administrator; audited), with a message."""
    unlocked = 0
    for user in users:
        try:
            unlocked += signin.signin_unlock(user=user, actor=request_account(request)) is not None
        except DomainError as error:
            model_admin.message_user(request, error.message, level=messages.ERROR)
            return
    model_admin.message_user(
        request, _("%(count)d locked accounts were unlocked.") % {"count": unlocked}, messages.SUCCESS
    )
