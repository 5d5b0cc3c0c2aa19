"""Assigning a complaint to its handling department (in the caller's transaction, the complaint
locked): also used by the desk registration when the registrar names the department at once."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onewindow.complaints import events
from onewindow.complaints.codes import Status
from onewindow.complaints.models import Complaint
from onewindow.core.errors import ValidationFailed
from onewindow.org.models import Department, User


def handler_in(department: Department, username: str) -> User:
    """An active account of `department` named `username` (ValidationFailed otherwise)."""
    user = User.objects.filter(department=department, username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed(
            _("Check the handler."),
            details={"handler": [_("No active account with this user name in the handling department.")]},
        )
    return user


def assign_locked(
    complaint: Complaint,
    department: Department,
    handler: User | None,
    actor: Any,
    *,
    client_ip: str | None = None,
) -> None:
    complaint.department = department
    complaint.handler = handler
    complaint.status = Status.ASSIGNED
    events.save(complaint, complaint.version, ["department", "handler", "status"])
    note = department.name + (f" / {handler.full_name or handler.username}" if handler else "")
    events.record(complaint, "assign", actor, note=note, client_ip=client_ip)
