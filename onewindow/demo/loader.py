"""Loading the demo center: the center hierarchy, departments, windows, posts, the catalog and the
staff accounts of `onewindow.demo.data`.

Idempotent: rows are found by code (accounts by username); a row that already matches the data is
left alone, one that differs is brought back to the data through the org services, a missing one
is created. The catalog goes through `catalog_import_specs`, which gives an item a new version
only when its published version differs from the spec. Everything is one transaction.

The demo accounts share a published password, so the loader refuses to run under the production
settings profile unless explicitly allowed (a throw-away copy of a production install).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.catalog.delegations import window_delegation_grant
from onewindow.catalog.models import ServiceItem, ServiceItemVersion, WindowDelegation
from onewindow.catalog.services import ImportResult, catalog_import_specs
from onewindow.core import audit
from onewindow.core.errors import PermissionDenied
from onewindow.demo.accounts import demo_account_create
from onewindow.demo.data.accounts import DEMO_PASSWORD
from onewindow.demo.data.org import CENTERS, DEMO_CENTER_CODE, DEPARTMENTS, POSTS, WINDOWS
from onewindow.demo.feedback_parts import load_feedback
from onewindow.demo.hall_parts import load_hall
from onewindow.demo.history import HistorySummary, load_history
from onewindow.demo.history_plan import DEFAULT_COUNT
from onewindow.demo.online_hall import load_online_hall
from onewindow.demo.specs import account_specs, bundle_specs, item_specs, theme_specs
from onewindow.org.models import Center, Department, Post, User, Window
from onewindow.org.roles import needs_admin_site
from onewindow.org.services import (
    center_save,
    department_save,
    org_sync_roles,
    post_save,
    user_update,
    window_save,
)


@dataclass(frozen=True)
class DemoSummary:
    """What one run of the loader did. `created`/`updated` count rows per kind: centers,
    departments, windows, posts, accounts, passwords (reset)."""

    center_code: str
    center_name: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    catalog: ImportResult = field(default_factory=ImportResult)
    history: HistorySummary | None = None

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) + sum(self.updated.values())) or self.catalog.changed

    def lines(self) -> list[str]:
        counts = {key: self.totals.get(key, 0) for key in ("centers", "departments", "windows", "accounts")}
        out = [
            _(
                "Demo center %(name)s (%(code)s): %(centers)s centers in the hierarchy, "
                "%(departments)s departments, %(windows)s windows, %(accounts)s demo accounts."
            )
            % {"name": self.center_name, "code": self.center_code, **counts},
            _(
                "Organisation: %(centers)s centers, %(departments)s departments, %(windows)s windows, "
                "%(posts)s posts created; %(updated)s rows brought back to the demo data."
            )
            % {
                "centers": self.created.get("centers", 0),
                "departments": self.created.get("departments", 0),
                "windows": self.created.get("windows", 0),
                "posts": self.created.get("posts", 0),
                "updated": sum(v for k, v in self.updated.items() if k not in ("accounts", "passwords")),
            },
            _("Catalog: %(summary)s") % {"summary": self.catalog.summary()},
            _("Accounts: %(created)s created, %(updated)s updated, %(reset)s passwords reset.")
            % {
                "created": self.created.get("accounts", 0),
                "updated": self.updated.get("accounts", 0),
                "reset": self.updated.get("passwords", 0),
            },
        ]
        if self.created.get("accounts") or self.updated.get("passwords"):
            out.append(
                _(
                    "The demo accounts (clerk, supervisor, centeradmin, …) sign in with the "
                    "password %(password)s."
                )
                % {"password": DEMO_PASSWORD}
            )
        if self.history is not None:
            out.extend(self.history.lines())
        if not self.changed and (self.history is None or self.history.skipped):
            out.append(_("Nothing to do: the demo center was already loaded."))
        return out


def refuse_in_production(*, allow_production: bool = False) -> None:
    """Raise PermissionDenied under the production settings profile unless allowed."""
    if getattr(settings, "PRODUCTION", False) and not allow_production:
        raise PermissionDenied(
            _(
                "Refusing to load the demo center: this install runs the production settings profile "
                "(ONEWINDOW_PROFILE=production). The demo creates staff accounts whose password is "
                "published, and those must never exist in a production install. Run it on a local "
                "install, or pass --allow-production only on a throw-away copy."
            ),
            code="demo_refused_in_production",
        )


def load_demo(
    *,
    stdout: Any = None,
    allow_production: bool = False,
    reset_passwords: bool = False,
    history: bool = True,
    history_cases: int | None = None,
) -> DemoSummary:
    """Load (or bring back) the demo center; returns what was done, and writes the summary lines
    to `stdout` (a file-like object) when given. `reset_passwords` sets every demo account's
    password back to the demo password. `history`: also write the three months of case history
    (`onewindow.demo.history`, once: a second run adds nothing), of `history_cases` cases."""
    refuse_in_production(allow_production=allow_production)
    created: Counter[str] = Counter()
    updated: Counter[str] = Counter()
    with transaction.atomic():
        org_sync_roles()
        centers = _load_centers(created, updated)
        center = centers[DEMO_CENTER_CODE]
        posts = _load_posts(created, updated)
        departments = _load_departments(center, created, updated)
        windows = _load_windows(center, departments, created, updated)
        catalog = catalog_import_specs(
            center=center,
            themes=theme_specs(),
            items=item_specs(),
            bundles=bundle_specs(),
            actor=None,
            publish=True,
        )
        accounts = _load_accounts(
            center, departments, windows, posts, created, updated, reset_passwords=reset_passwords
        )
        _load_delegations(center, windows, created)
        summary = DemoSummary(
            center_code=center.code,
            center_name=center.name,
            created=dict(created),
            updated=dict(updated),
            totals={
                "centers": len(centers),
                "departments": len(departments),
                "windows": len(windows),
                "posts": len(posts),
                "accounts": len(accounts),
            },
            catalog=catalog,
        )
        if summary.changed:
            audit.record(
                action="demo.load",
                obj=center,
                after={"created": dict(created), "updated": dict(updated), "catalog": catalog.summary()},
            )
    if history:
        summary = replace(summary, history=load_history(center=center, count=history_cases or DEFAULT_COUNT))
    # the online hall's applicants, calendar, applications and consultations go with the history
    online_lines = load_online_hall(center) if history else []
    # evaluation and complaints (issue 15) go with the history too
    feedback_lines = load_feedback(center) if history else []
    # the hall (issue 16): queue, attendance and leave go with the history too
    hall_lines = load_hall(center) if history else []
    if stdout is not None:
        for line in [*summary.lines(), *online_lines, *feedback_lines, *hall_lines]:
            stdout.write(line + "\n")
    return summary


# --- organisation ---------------------------------------------------------------------------


def _differs(obj: Any, wanted: dict[str, Any]) -> bool:
    return any(getattr(obj, key) != value for key, value in wanted.items())


def _load_centers(created: Counter[str], updated: Counter[str]) -> dict[str, Center]:
    existing = {c.code: c for c in Center.objects.filter(code__in=[c["code"] for c in CENTERS])}
    centers: dict[str, Center] = {}
    for data in CENTERS:
        parent = centers[data["parent_code"]] if data["parent_code"] else None
        wanted = {
            "name": data["name"],
            "level": data["level"],
            "parent_id": parent.pk if parent else None,
            "address": data["address"],
            "phone": data["phone"],
            "opening_hours": data["opening_hours"],
        }
        current = existing.get(data["code"])
        if current is not None and not _differs(current, wanted):
            centers[data["code"]] = current
            continue
        centers[data["code"]] = center_save(
            center=current,
            code=data["code"],
            name=data["name"],
            level=data["level"],
            parent=parent,
            address=data["address"],
            phone=data["phone"],
            opening_hours=data["opening_hours"],
            actor=None,
        )
        (updated if current else created)["centers"] += 1
    return centers


def _load_posts(created: Counter[str], updated: Counter[str]) -> dict[str, Post]:
    existing = {p.code: p for p in Post.objects.filter(code__in=[p["code"] for p in POSTS])}
    posts: dict[str, Post] = {}
    for data in POSTS:
        current = existing.get(data["code"])
        if current is not None and not _differs(current, {"name": data["name"]}):
            posts[data["code"]] = current
            continue
        # An existing post keeps its position: other centers may have ordered them.
        position = current.position if current is not None else data["position"]
        posts[data["code"]] = post_save(
            post=current, code=data["code"], name=data["name"], position=position, actor=None
        )
        (updated if current else created)["posts"] += 1
    return posts


def _load_departments(center: Center, created: Counter[str], updated: Counter[str]) -> dict[str, Department]:
    existing = {d.code: d for d in Department.objects.filter(center=center)}
    departments: dict[str, Department] = {}
    for position, data in enumerate(DEPARTMENTS, start=1):
        wanted = {
            "name": data["name"],
            "short_name": data["short_name"],
            "phone": data["phone"],
            "position": position,
            "active": True,
        }
        current = existing.get(data["code"])
        if current is not None and not _differs(current, wanted):
            departments[data["code"]] = current
            continue
        departments[data["code"]] = department_save(
            department=current, center=center, code=data["code"], actor=None, **wanted
        )
        (updated if current else created)["departments"] += 1
    return departments


def _load_delegations(center: Center, windows: dict[str, Window], created: Counter[str]) -> None:
    """窗口授权: every instant item (即办件) is delegated to the windows that may accept it (the
    general windows and its department's), so a clerk completes it in one sitting."""
    active = WindowDelegation.objects.filter(window__center=center, active=True)
    delegated = set(active.values_list("window_id", "item_id"))
    instant = ServiceItem.objects.filter(
        center=center, published_version__handling_type=ServiceItemVersion.HandlingType.INSTANT
    ).select_related("published_version")
    for item in instant:
        department_id = item.published_version.department_id if item.published_version else None
        for window in windows.values():
            if window.department_id not in (None, department_id) or (window.pk, item.pk) in delegated:
                continue
            window_delegation_grant(actor=None, window=window, item=item, note="示范中心：即办件当场办结")
            created["delegations"] += 1


def _load_windows(
    center: Center, departments: dict[str, Department], created: Counter[str], updated: Counter[str]
) -> dict[str, Window]:
    existing = {w.code: w for w in Window.objects.filter(center=center)}
    windows: dict[str, Window] = {}
    for data in WINDOWS:
        department = departments[data["department_code"]] if data["department_code"] else None
        wanted = {
            "name": data["name"],
            "department_id": department.pk if department else None,
            "floor": data["floor"],
            "active": True,
        }
        current = existing.get(data["code"])
        if current is not None and not _differs(current, wanted):
            windows[data["code"]] = current
            continue
        windows[data["code"]] = window_save(
            window=current,
            center=center,
            code=data["code"],
            name=data["name"],
            department=department,
            floor=data["floor"],
            active=True,
            actor=None,
        )
        (updated if current else created)["windows"] += 1
    return windows


# --- accounts -------------------------------------------------------------------------------


def _load_accounts(
    center: Center,
    departments: dict[str, Department],
    windows: dict[str, Window],
    posts: dict[str, Post],
    created: Counter[str],
    updated: Counter[str],
    *,
    reset_passwords: bool,
) -> list[User]:
    """Create the missing demo accounts, bring back the changed ones.

    Every account gets the same password hash, computed once with set_password: hashing is
    deliberately slow (PBKDF2, about a second), and the demo password is public anyway.
    """
    specs = account_specs()
    existing = {
        u.username: u
        for u in User.objects.filter(username__in=[s["username"] for s in specs]).prefetch_related(
            "groups", "posts", "scope_departments"
        )
    }
    password_hash: str | None = None
    accounts: list[User] = []
    for spec in specs:
        department = departments[spec["department_code"]] if spec["department_code"] else None
        window = windows[spec["window_code"]] if spec["window_code"] else None
        wanted_posts = [posts[code] for code in spec["posts"]]
        user = existing.get(spec["username"])
        if user is None:
            user, password_hash = demo_account_create(
                spec=spec,
                center=center,
                department_id=department.pk if department else None,
                window_id=window.pk if window else None,
                posts=wanted_posts,
                password_hash=password_hash,
            )
            created["accounts"] += 1
        else:
            if _account_differs(user, spec, center, department, window):
                user = user_update(
                    user=user,
                    actor=None,
                    full_name=spec["full_name"],
                    center=center,
                    department=department,
                    window=window,
                    posts=wanted_posts,
                    roles=spec["roles"],
                    data_scope=spec["data_scope"],
                    scope_departments=[],
                    is_active=True,
                )
                updated["accounts"] += 1
            if reset_passwords:
                if password_hash is None:
                    user.set_password(DEMO_PASSWORD)
                    password_hash = user.password
                else:
                    user.password = password_hash
                user.save(update_fields=["password"])
                audit.record(action="user.set_password", obj=user, after={"source": "demo"})
                updated["passwords"] += 1
        accounts.append(user)
    return accounts


def _account_differs(
    user: User, spec: dict, center: Center, department: Department | None, window: Window | None
) -> bool:
    return (
        user.full_name != spec["full_name"]
        or user.center_id != center.pk
        or user.department_id != (department.pk if department else None)
        or user.window_id != (window.pk if window else None)
        or user.data_scope != spec["data_scope"]
        or not user.is_active
        or user.is_staff != needs_admin_site(spec["roles"])
        or sorted(p.code for p in user.posts.all()) != sorted(spec["posts"])
        or sorted(g.name for g in user.groups.all()) != sorted(spec["roles"])
        or bool(user.scope_departments.all())
    )
