from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Center(models.Model):
    """A service center (政务服务中心 / 便民服务中心); centers form a hierarchy."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", _("city")
        COUNTY = "county", _("county")
        TOWNSHIP = "township", _("township")

    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        help_text=_("Upper-case letters and digits; the first part of every case number."),
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="departments"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["center", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="department_code_unique_in_center")
        ]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    """A desk in the hall: a department's window, or a general window (综合窗口) with no department."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="windows"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="windows",
        help_text=_("Empty for a general window (综合窗口) that accepts items of any department."),
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    floor = models.CharField(_("floor / area"), max_length=50, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["center", "code"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="window_code_unique_in_center")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_general(self) -> bool:
        return self.department_id is None


class Post(models.Model):
    """A post (岗位) that handles a kind of process step: 受理岗, 审查岗, 审核岗, 决定岗, 制证岗 ..."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


def username_is(username: str) -> Exact:
    """A filter matching `username` whatever its case (SCJG-reviewer is scjg-reviewer). Both sides
    are lowered by the database, so the unique index on LOWER(username) answers it."""
    return Exact(Lower("username"), Lower(Value(username)))


class StaffUserManager(UserManager["User"]):
    """Login names are case-insensitive: the staff and admin sign-in and the API token issue all
    find the account through `get_by_natural_key` (Django's ModelBackend)."""

    def get_by_natural_key(self, username: Any) -> User:
        return self.get(username_is(str(username)))


class User(AbstractUser):
    """A staff account. Roles are groups; permissions are checked by permission, never by role name.
    Usernames are unique whatever their case."""

    class Scope(models.TextChoices):
        DEPARTMENT = "department", _("own department")
        DEPARTMENTS = "departments", _("selected departments")
        CENTER = "center", _("whole center")

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    center = models.ForeignKey(
        Center,
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    posts = models.ManyToManyField(Post, verbose_name=_("posts"), blank=True, related_name="staff")
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    data_scope = models.CharField(
        _("data scope"),
        max_length=12,
        choices=Scope.choices,
        default=Scope.DEPARTMENT,
        help_text=_("Which departments' data this account sees."),
    )
    scope_departments = models.ManyToManyField(
        Department,
        verbose_name=_("scope departments"),
        blank=True,
        related_name="+",
        help_text=_(
            "Used when the data scope is 'selected departments' (the own department is always included)."
        ),
    )

    # Passwords (org.passwords): when the password was last set, and whether the owner must change
    # it before doing anything else (set by someone else: an administrator's reset, create_admins).
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when someone other than the owner set the password: changed at the next sign-in."),
    )

    # What `org.actors.prime` attaches for one request from the per-process copy of the account's
    # access (None: not primed, read from the database as usual). Plain attributes, not columns.
    ow_perms: frozenset[str] | None = None
    ow_post_ids: frozenset[int] | None = None
    ow_window_loaded: bool = False
    ow_window: Window | None = None
    ow_delegated_items: tuple[int, frozenset[int]] | None = None  # (window id, item ids), cases.permissions

    # sign-in (issue 12 §1): rotated by org.signin.account_access_end on password change,
    # deactivation and role change; part of the session hash, so older sessions end.
    security_stamp = models.CharField(
        _("security stamp"), max_length=32, blank=True, default="", editable=False
    )

    objects: ClassVar[StaffUserManager] = StaffUserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="org_user_username_ci_unique",
                violation_error_message=_(
                    "An account with this username already exists (usernames ignore upper and lower case)."
                ),
            )
        ]
        permissions = [
            ("manage_accounts", _("Can create staff accounts and assign roles (security administrator)")),
            ("manage_organisation", _("Can maintain centers, departments, windows and posts")),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password, plus the security stamp once one was set (an account
        never rotated keeps its sessions across the upgrade)."""
        if not self.security_stamp:
            return super().get_session_auth_hash()
        return salted_hmac(
            "onewindow.org.User.get_session_auth_hash",
            f"{self.password}:{self.security_stamp}",
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        if not self.security_stamp:
            yield from super().get_session_auth_fallback_hash()
            return
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield salted_hmac(
                "onewindow.org.User.get_session_auth_hash",
                f"{self.password}:{self.security_stamp}",
                secret=secret,
                algorithm="sha256",
            ).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a hash of the token is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class AdminChangeRequest(models.Model):
    """A change to an administrator account (system, security or audit administrator), or the
    grant of an administrator role, waiting for a second administrator (三员分立, two-person rule).

    One administrator asks (`requested_by`); a different one, neither the requester nor the
    target, approves or rejects it. It takes effect only on approval, and lapses after
    settings.ADMIN_CHANGE_REQUEST_DAYS. Rows are never deleted (the audit trail refers to them).
    """

    class Kind(models.TextChoices):
        UPDATE = "update", _("Change the account")
        PASSWORD_RESET = "password_reset", _("Reset the password")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")

    target = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.PROTECT, related_name="admin_change_requests"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The requested values, by field: roles (codes), is_active, data_scope, scope_department_ids,
    # center_id, department_id, window_id, post_ids, full_name, phone. Never a password.
    changes = models.JSONField(_("requested change"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    expires_at = models.DateTimeField(_("expires at"))
    decided_by = models.ForeignKey(
        User, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("administrator account change")
        verbose_name_plural = _("administrator account changes")
        ordering = ["-requested_at", "-id"]
        permissions = [
            ("request_admin_change", _("Can ask for a change to an administrator account")),
            ("approve_admin_change", _("Can approve a change to an administrator account")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target} ({self.get_status_display()})"


# Models of this app that live in their own module (imported here so Django finds them).
from onewindow.org.credential_models import PasswordHistory as PasswordHistory  # noqa: E402
from onewindow.org.credential_models import TotpDevice as TotpDevice  # noqa: E402
from onewindow.org.signin_models import SignInFailure as SignInFailure  # noqa: E402
from onewindow.org.signin_models import SignInLock as SignInLock  # noqa: E402
