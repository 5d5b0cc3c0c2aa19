"""Window delegation (窗口授权): which items a window may decide on the spot, kept as data per
window (`WindowDelegation`). Granting and revoking are audited; the reads are below.

Who may grant: an account holding `catalog.delegate_window` (the chief representative of the
item's department, or a center administrator) in the item's center; an account whose data
scope is its own department may delegate only its department's items. `actor` None is the
system (the demo loader, management commands): no permission check, still audited.

What a delegation allows is decided in one place: `cases.permissions.delegated_at_window`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from onewindow.catalog.models import ServiceItem, ServiceItemVersion, WindowDelegation
from onewindow.core import audit, clock
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.org.models import User, Window

DELEGATE_WINDOW = "catalog.delegate_window"


def _check_actor(actor: User | None, window: Window, department_id: int | None) -> None:
    if actor is None:
        return
    if not (actor.is_active and actor.has_perm(DELEGATE_WINDOW)):
        raise PermissionDenied(
            _("You need the permission %(perm)s to delegate items to windows.") % {"perm": DELEGATE_WINDOW}
        )
    if actor.center_id is not None and actor.center_id != window.center_id:
        raise PermissionDenied(_("This window belongs to another center."))
    if (
        actor.center_id is not None
        and actor.data_scope == User.Scope.DEPARTMENT
        and department_id is not None
        and actor.department_id != department_id
    ):
        raise PermissionDenied(_("You can delegate only the items of your own department."))


def delegation_problems(*, window: Window, item: ServiceItem, note: str = "") -> dict[str, list[str]]:
    """What stops delegating `item` to `window` (field -> messages; empty: nothing)."""
    version = item.published_version
    errors: dict[str, list[str]] = {}
    if item.center_id != window.center_id:
        errors.setdefault("item", []).append(_("Choose an item of the window's center."))
    if version is None:
        errors.setdefault("item", []).append(_("The item has no published version."))
    elif window.department_id is not None and window.department_id != version.department_id:
        errors.setdefault("item", []).append(
            _("This window belongs to another department: it does not accept this item.")
        )
    if not window.active:
        errors.setdefault("window", []).append(_("The window is closed."))
    if len(note) > 200:
        errors.setdefault("note", []).append(_("At most 200 characters."))
    return errors


@transaction.atomic
def window_delegation_grant(
    *, actor: User | None, window: Window, item: ServiceItem, note: str = ""
) -> WindowDelegation:
    """Delegate `item` to `window` (the window's clerks may then decide its cases on the spot).
    Granting an item already delegated to the window returns the active delegation unchanged."""
    version = item.published_version
    department_id = version.department_id if version is not None else None
    _check_actor(actor, window, department_id)
    note = (note or "").strip()
    errors = delegation_problems(window=window, item=item, note=note)
    if errors:
        first = next(m for messages in errors.values() for m in messages)
        raise ValidationFailed(first, code="delegation_invalid", details=errors)
    Window.objects.select_for_update().filter(pk=window.pk).first()  # one grant per window at a time
    existing = WindowDelegation.objects.filter(window=window, item=item, active=True).first()
    if existing is not None:
        return existing
    delegation = WindowDelegation.objects.create(
        window=window, item=item, granted_by=actor, granted_at=clock.now(), note=note, active=True
    )
    audit.record(
        action="catalog.window_delegation_grant",
        obj=delegation,
        after=audit.snapshot(delegation),
        actor=actor,
    )
    return delegation


@transaction.atomic
def window_delegation_revoke(
    *, actor: User | None, delegation: WindowDelegation, note: str = ""
) -> WindowDelegation:
    """Revoke a delegation: the window's clerks no longer decide the item's cases. The row stays
    (inactive) as history. Revoking an inactive delegation changes nothing."""
    current = (
        WindowDelegation.objects.select_for_update().select_related("window", "item").get(pk=delegation.pk)
    )
    version = current.item.published_version
    _check_actor(actor, current.window, version.department_id if version is not None else None)
    if not current.active:
        return current
    before = audit.snapshot(current)
    current.active = False
    current.revoked_by = actor
    current.revoked_at = clock.now()
    current.save(update_fields=["active", "revoked_by", "revoked_at"])
    audit.record(
        action="catalog.window_delegation_revoke",
        obj=current,
        before=before,
        after={**audit.snapshot(current), "note": (note or "").strip()},
        actor=actor,
    )
    return current


# --- reads ----------------------------------------------------------------------------------


def delegated_item_ids(window_id: int) -> frozenset[int]:
    """The ids of the items delegated to the window (active delegations)."""
    return frozenset(
        WindowDelegation.objects.filter(window_id=window_id, active=True).values_list("item_id", flat=True)
    )


def window_delegations(window: Window, *, active_only: bool = True) -> QuerySet[WindowDelegation]:
    """The window's delegations with their items' published versions, by item code."""
    qs = WindowDelegation.objects.filter(window=window).select_related(
        "item", "item__published_version", "granted_by", "revoked_by"
    )
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("item__code", "-granted_at")


def items_accepted_at(window: Window) -> QuerySet[ServiceItemVersion]:
    """The published versions of the items `window` accepts (the intake rule,
    `cases.permissions.may_accept_for`): a general window every item of its center, a
    department's window the department's items; by code."""
    qs = ServiceItemVersion.objects.filter(
        status=ServiceItemVersion.Status.PUBLISHED, item__center_id=window.center_id
    )
    if window.department_id is not None:
        qs = qs.filter(department_id=window.department_id)
    return qs.select_related("item", "department").order_by("item__code")


def windows_with_counts(center_id: int) -> QuerySet[Window]:
    """The center's windows with `clerks` (active accounts at the window) and `delegated`
    (active delegations), by code."""
    return (
        Window.objects.filter(center_id=center_id)
        .select_related("department")
        .annotate(
            clerks=Count("staff", filter=Q(staff__is_active=True), distinct=True),
            delegated=Count("delegations", filter=Q(delegations__active=True), distinct=True),
        )
        .order_by("code")
    )
