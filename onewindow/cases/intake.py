"""A new case: who may receive it at which window, the checks common to window and online
applications, the new row, and what its first event shows of the applicant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from onewindow.cases import transitions as T
from onewindow.cases.applicants import agent_errors, applicant_errors
from onewindow.cases.models import Case
from onewindow.cases.permissions import Actor, has_perm, may_accept_for, window_of
from onewindow.catalog.models import ServiceItemVersion
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_id_number, mask_phone
from onewindow.org.models import Center, User, Window


def intake_window(
    actor: Actor, window: Window | None, version: ServiceItemVersion, *, joint: bool = False
) -> Window | None:
    """The window where `actor` receives an application of `version` (PermissionDenied when
    they may not; ValidationFailed for a window of another center). `joint`: a sub-case of a
    bundle accepted at one window (一窗受理), whose own rule (`approvals`) was checked: neither
    the item's department nor the actor limits the window (a later phase opens without one)."""
    if window is not None and window.center_id != version.item.center_id:
        raise ValidationFailed(
            _("This window belongs to another center."), details={"window": [_("Wrong center.")]}
        )
    if joint:  # the bundle checked its clerk, or opens a later phase itself (actor None)
        return window
    if actor is None or not has_perm(actor, T.ACCEPT_CASE):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": T.ACCEPT_CASE})
    if actor.center_id != version.item.center_id:
        raise PermissionDenied(_("You work at another center."))
    effective = window if window is not None else window_of(actor)
    if not may_accept_for(actor, version.department_id, effective):
        raise PermissionDenied(
            _("This item is accepted at a general window or a window of %(dept)s.")
            % {"dept": version.department.name}
        )
    return effective


def new_case(
    *,
    version: ServiceItemVersion,
    center: Center,
    applicant: dict[str, str],
    agent: dict[str, str] | None,
    channel: str,
    window: Window | None,
    actor: Actor,
    now: dt.datetime,
    status: str,
    green_channel: bool,
    green_channel_handler: User | None,
    delivery_method: str,
    note: str,
    green_channel_reason: str = "",
) -> Case:
    return Case(
        center=center,
        window=window,
        item_version=version,
        department=version.department,
        created_by=actor,
        green_channel_handler=green_channel_handler,
        channel=channel,
        status=status,
        version=1,
        applicant_kind=applicant["kind"],
        applicant_name=applicant["name"],
        applicant_id_type=applicant["id_type"],
        applicant_id_number=applicant["id_number"],
        applicant_phone=applicant["phone"],
        applicant_address=applicant["address"],
        legal_rep_name=applicant.get("legal_rep_name", ""),
        legal_rep_id_number=applicant.get("legal_rep_id_number", ""),
        agent_name=agent["name"] if agent else "",
        agent_id_number=agent["id_number"] if agent else "",
        agent_phone=agent["phone"] if agent else "",
        delivery_method=delivery_method,
        green_channel=green_channel,
        green_channel_reason=green_channel_reason.strip()[:300] if green_channel else "",
        promised_limit=version.promised_limit,
        legal_limit=version.legal_limit,
        is_instant=version.handling_type == ServiceItemVersion.HandlingType.INSTANT,
        created_at=now,
        note=note[:2000],
    )


def common_errors(
    *,
    channel: str,
    agent: dict[str, Any] | None,
    green_channel: bool,
    green_channel_handler: User | None,
    version: ServiceItemVersion,
    delivery_method: str,
    green_channel_reason: str = "",
) -> dict[str, list[str]]:
    """The problems of the channel, delivery and green channel (field → messages)."""
    errors: dict[str, list[str]] = {}
    if channel not in Case.Channel.values:
        errors["channel"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Case.Channel.values)}]
    if channel == Case.Channel.AGENT and not agent:
        errors["agent"] = [_("An agent-service application needs the agent's details.")]
    if delivery_method not in Case.DeliveryMethod.values:
        errors["delivery_method"] = [_("Choose pickup or mail.")]
    if green_channel:
        if not version.green_channel_eligible:
            errors["green_channel"] = [_("This item is not eligible for the green channel.")]
        if green_channel_handler is None:
            errors["green_channel_handler"] = [_("Name the handler who follows the case end to end.")]
        elif green_channel_handler.center_id != version.item.center_id or not green_channel_handler.is_active:
            errors["green_channel_handler"] = [_("The handler must be an active account of this center.")]
        if len(green_channel_reason.strip()) > 300:
            errors["green_channel_reason"] = [_("The reason is too long (300 characters at most).")]
    elif green_channel_handler is not None:
        errors["green_channel_handler"] = [_("Only green channel cases have a named handler.")]
    return errors


def validate_common(
    *,
    channel: str,
    agent: dict[str, Any] | None,
    green_channel: bool,
    green_channel_handler: User | None,
    version: ServiceItemVersion,
    delivery_method: str,
    green_channel_reason: str = "",
) -> None:
    errors = common_errors(
        channel=channel,
        agent=agent,
        green_channel=green_channel,
        green_channel_handler=green_channel_handler,
        version=version,
        delivery_method=delivery_method,
        green_channel_reason=green_channel_reason,
    )
    if errors:
        raise ValidationFailed(_("Check the application."), details=errors)


def intake_errors(
    *,
    version: ServiceItemVersion,
    applicant: dict[str, Any],
    agent: dict[str, Any] | None,
    channel: str,
    action: str,
    note: str,
    green_channel: bool,
    green_channel_handler: User | None,
    delivery_method: str,
    green_channel_reason: str = "",
) -> dict[str, list[str]]:
    """Every problem of an intake at once (applicant, agent, channel, delivery, green channel,
    the refusal's reason), so the window can show them all in one round. Field keys are those of
    the services' `ValidationFailed.details` ("applicant.name", "agent.phone", "note" ...)."""
    _applicant, errors = applicant_errors(applicant)
    _agent, agent_problems = agent_errors(agent)
    errors.update(agent_problems)
    errors.update(
        common_errors(
            channel=channel,
            agent=agent,
            green_channel=green_channel,
            green_channel_handler=green_channel_handler,
            version=version,
            delivery_method=delivery_method,
            green_channel_reason=green_channel_reason,
        )
    )
    if action == "refuse" and not note.strip():
        errors["note"] = [_("The reason is required.")]
    return errors


def accepted_department_ids(actor: User) -> set[int] | None:
    """The departments whose items `actor` may receive at their window: None for every department
    (a general window), the window's department for a department window, the actor's own
    department without a window; an empty set without the permission (the rule of
    `permissions.may_accept_for`)."""
    if not has_perm(actor, T.ACCEPT_CASE):
        return set()
    window = window_of(actor)
    if window is not None:
        if not window.active:
            return set()
        return None if window.department_id is None else {window.department_id}
    return {actor.department_id} if actor.department_id else set()


def applicant_public(case: Case) -> dict[str, str]:
    return {
        "kind": case.applicant_kind,
        "name": case.applicant_name,
        "id_type": case.applicant_id_type,
        "id_number": mask_id_number(case.applicant_id_number),
        "phone": mask_phone(case.applicant_phone),
    }
