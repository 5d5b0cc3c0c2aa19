"""The bundle case's own records: one event per change (version + 1, seq = version), its
notices (number = bundle number + kind code + sequence) and its messages to the applicant.
Called by the services inside their transaction, with the bundle case locked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from onewindow.approvals.models import BundleCase, BundleEvent, BundleNotice
from onewindow.cases.permissions import Actor, actor_name
from onewindow.cases.work import jsonable
from onewindow.core import context
from onewindow.notifications.services import message_enqueue

NOTICE_CODES: dict[str, str] = {
    BundleNotice.Kind.ACCEPTANCE: "A",
    BundleNotice.Kind.CORRECTION: "B",
    BundleNotice.Kind.REFUSAL: "R",
    BundleNotice.Kind.EXTENSION: "Y",
    BundleNotice.Kind.DECISION: "D",
    BundleNotice.Kind.SERVICE_RECEIPT: "H",
}

# Shown on the public progress page (no staff names there).
PUBLIC_ACTIONS = frozenset(
    {
        "receive",
        "accept",
        "request_correction",
        "receive_correction",
        "refuse",
        "open_phase",
        "sub_case_decided",
        "approve_extension",
        "decide",
        "deliver",
    }
)


def bundle_event(
    bundle_case: BundleCase,
    action: str,
    *,
    from_status: str,
    actor: Actor,
    now: dt.datetime,
    data: dict[str, Any] | None = None,
    first: bool = False,
) -> BundleEvent:
    """Record `action` (the status already changed): bumps the version unless it is the first
    event of a new bundle case, and writes the event."""
    if not first:
        bundle_case.version += 1
        BundleCase.objects.filter(pk=bundle_case.pk).update(version=bundle_case.version)
    payload = jsonable(data or {})
    ip = context.current().ip
    if ip:
        payload["ip"] = ip
    return BundleEvent.objects.create(
        bundle_case=bundle_case,
        seq=bundle_case.version,
        at=now,
        actor=actor,
        actor_name=actor_name(actor),
        action=action,
        from_status=from_status,
        to_status=bundle_case.status,
        data=payload,
        public=action in PUBLIC_ACTIONS,
    )


def bundle_notice(
    bundle_case: BundleCase, kind: str, *, now: dt.datetime, data: dict[str, Any], first: bool = False
) -> BundleNotice:
    """Issue a notice; `first`: the bundle case's first (no count to read)."""
    count = 0 if first else BundleNotice.objects.filter(bundle_case=bundle_case).count()
    return BundleNotice.objects.create(
        bundle_case=bundle_case,
        kind=kind,
        number=f"{bundle_case.number}{NOTICE_CODES[kind]}{count + 1:02d}",
        issued_at=now,
        data=jsonable(data),
    )


def bundle_message(bundle_case: BundleCase, template: str, **context: Any) -> None:
    """An SMS to the applicant about the whole bundle (its sub-cases send none)."""
    message_enqueue(
        template_code=template,
        recipient=bundle_case.applicant_phone,
        context={
            "center_name": bundle_case.center.name,
            "bundle_name": bundle_case.bundle_name,
            "bundle_number": bundle_case.number,
            **context,
        },
        related_type="approvals.bundlecase",
        related_id=str(bundle_case.pk),
    )
