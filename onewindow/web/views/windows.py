"""The window pages (窗口): the center's windows, and one window with its clerks, the items it
accepts and the items delegated to it (窗口授权), where an account holding
`catalog.delegate_window` grants and revokes delegations (through `catalog.delegations`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from onewindow.catalog.delegations import (
    DELEGATE_WINDOW,
    items_accepted_at,
    window_delegation_grant,
    window_delegation_revoke,
    window_delegations,
    windows_with_counts,
)
from onewindow.catalog.models import ServiceItem, WindowDelegation
from onewindow.core.errors import DomainError, NotFound
from onewindow.org.models import User, Window
from onewindow.org.selectors import window_by_code, window_staff
from onewindow.web.access import StaffRequest, forbidden, staff_page

PERMISSION = "catalog.view_serviceitem"


@staff_page(PERMISSION)
def windows(request: StaffRequest) -> HttpResponse:
    center_id = request.user.center_id
    if center_id is None:
        return forbidden(request, reason=_("Your account is not attached to a service center."))
    rows = windows_with_counts(center_id)
    context = {"nav_active": "windows", "windows": rows, "own_window_id": request.user.window_id}
    return render(request, "web/windows.html", context)


@staff_page(PERMISSION)
def window_detail(request: StaffRequest, code: str) -> HttpResponse:
    center_id = request.user.center_id
    if center_id is None:
        return forbidden(request, reason=_("Your account is not attached to a service center."))
    try:
        window = window_by_code(center_id, code)
    except NotFound as exc:
        return render(request, "web/404.html", {"message": exc.message, "nav_active": "windows"}, status=404)
    may_delegate = request.user.has_perm(DELEGATE_WINDOW)
    if request.method == "POST":
        if not may_delegate:
            return forbidden(request)
        _change_delegation(request, window)
        return redirect("web:window", code=window.code)
    delegations = list(window_delegations(window))
    delegated_ids = {d.item_id for d in delegations}
    accepted = list(items_accepted_at(window))
    # an account limited to its department delegates only its department's items
    user = request.user
    own_department_only = user.data_scope == User.Scope.DEPARTMENT and bool(user.department_id)
    context = {
        "nav_active": "windows",
        "window": window,
        "staff": list(window_staff(window)),
        "accepted": accepted,
        "delegations": delegations,
        "delegated_ids": delegated_ids,
        "grantable": [
            v
            for v in accepted
            if v.item_id not in delegated_ids
            and (not own_department_only or v.department_id == user.department_id)
        ],
        "may_delegate": may_delegate,
        "own": request.user.window_id == window.pk,
    }
    return render(request, "web/window.html", context)


def _change_delegation(request: StaffRequest, window: Window) -> None:
    """Grant (`item`, `note`) or revoke (`revoke` = delegation id) from the window page."""
    try:
        if request.POST.get("revoke"):
            delegation = WindowDelegation.objects.filter(
                pk=_int(request.POST["revoke"]), window=window, active=True
            ).first()
            if delegation is None:
                raise NotFound(_("This delegation does not exist or was already revoked."))
            window_delegation_revoke(actor=request.user, delegation=delegation)
            messages.success(request, _("Delegation revoked: %(item)s.") % {"item": delegation.item.code})
            return
        item = ServiceItem.objects.filter(
            pk=_int(request.POST.get("item", "")), center_id=window.center_id
        ).first()
        if item is None:
            raise NotFound(_("Choose an item to delegate."))
        window_delegation_grant(
            actor=request.user, window=window, item=item, note=request.POST.get("note", "")
        )
        messages.success(request, _("Item delegated to the window: %(item)s.") % {"item": item.code})
    except DomainError as exc:
        messages.error(request, exc.message)


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
