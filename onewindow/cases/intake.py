"""A new case: who may receive it at which window, the checks common to window and online
applications, the new row, and what its first event shows of the applicant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from onewindow.cases import transitions as T
from onewindow.cases.models import Case
from onewindow.cases.permissions import Actor, has_perm, may_accept_for, window_of
from onewindow.catalog.models import ServiceItemVersion
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.core.masking import mask_id_number, mask_phone
from onewindow.org.models import Center, User, Window


def intake_window(actor: Actor, window: Window | None, version: ServiceItemVersion) -> Window | None:
    """The window where `actor` receives an application of `version` (PermissionDenied when
    they may not; ValidationFailed for a window of another center)."""
    if window is not None and window.center_id != version.item.center_id:
        raise ValidationFailed(
            _("This window belongs to another center."), details={"window": [_("Wrong center.")]}
        )
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
        agent_name=agent["name"] if agent else "",
        agent_id_number=agent["id_number"] if agent else "",
        agent_phone=agent["phone"] if agent else "",
        delivery_method=delivery_method,
        green_channel=green_channel,
        promised_limit=version.promised_limit,
        legal_limit=version.legal_limit,
        is_instant=version.handling_type == ServiceItemVersion.HandlingType.INSTANT,
        created_at=now,
        note=note[:2000],
    )


def validate_common(
    *,
    channel: str,
    agent: dict[str, Any] | None,
    green_channel: bool,
    green_channel_handler: User | None,
    version: ServiceItemVersion,
    delivery_method: str,
) -> None:
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
    elif green_channel_handler is not None:
        errors["green_channel_handler"] = [_("Only green channel cases have a named handler.")]
    if errors:
        raise ValidationFailed(_("Check the application."), details=errors)


def applicant_public(case: Case) -> dict[str, str]:
    return {
        "kind": case.applicant_kind,
        "name": case.applicant_name,
        "id_type": case.applicant_id_type,
        "id_number": mask_id_number(case.applicant_id_number),
        "phone": mask_phone(case.applicant_phone),
    }
