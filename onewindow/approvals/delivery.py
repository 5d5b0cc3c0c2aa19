"""The one delivery (统一送达): every result of the bundle handed out together at the one
window, or mailed in one envelope. Each sub-case is completed (办结) if it is not yet, then
delivered, through its own case actions (one event each); one service receipt (送达回证)
lists every result. Called by `services.bundle_case_act` with the sub-cases and the bundle
locked.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from onewindow.approvals import progress, records
from onewindow.approvals.models import BundleCase, BundleNotice
from onewindow.cases import transitions as CT
from onewindow.cases.facts import Status
from onewindow.cases.models import Case
from onewindow.core.errors import ValidationFailed

_TO_COMPLETE = (Status.DECIDED_GRANTED, Status.DECIDED_DENIED, Status.CERTIFICATE_ISSUED)


DELIVERY_PARAMS = (
    "method",
    "recipient_relation",
    "recipient_name",
    "recipient_id_number",
    "carrier",
    "tracking_number",
    "note",
)


def deliver(act) -> None:  # type: ignore[no-untyped-def]
    """Params as the cases' `deliver` (method, recipient_relation, recipient_name,
    recipient_id_number, carrier, tracking_number, note), checked by each sub-case's own rule:
    one problem refuses the whole delivery."""
    from onewindow.cases.services import case_act

    bundle_case: BundleCase = act.bundle_case
    params = {k: act.params[k] for k in DELIVERY_PARAMS if act.params.get(k) not in (None, "")}
    params.setdefault("method", bundle_case.delivery_method or "pickup")
    if params["method"] not in Case.DeliveryMethod.values:
        raise ValidationFailed(_("Check the delivery."), details={"method": [_("Choose pickup or mail.")]})
    results = []
    delivered = None
    for sub in bundle_case.sub_cases.select_related("case", "department").order_by("position"):
        case = sub.case
        if case is None:
            continue
        if case.status in _TO_COMPLETE:
            case = case_act(case=case.pk, action=CT.COMPLETE, version=case.version, actor=act.actor, note="")
        if case.status == Status.COMPLETED:
            case = case_act(case=case.pk, action=CT.DELIVER, version=case.version, actor=act.actor, **params)
            delivered = delivered or case
        results.append(
            {
                "item_code": sub.item_code,
                "item_name": sub.item_name,
                "department": sub.department.name,
                "number": case.number,
                "outcome": progress.outcome(case),
                "status": case.status,
            }
        )
    record = delivery_record(delivered)
    before = bundle_case.status
    bundle_case.status = BundleCase.Status.DELIVERED
    bundle_case.delivered_at = act.now
    bundle_case.tracking_number = record.get("tracking_number", "")
    bundle_case.save(update_fields=["status", "delivered_at", "tracking_number"])
    records.bundle_event(
        bundle_case,
        "deliver",
        from_status=before,
        actor=act.actor,
        now=act.now,
        data={**record, "results": results},
    )
    records.bundle_notice(
        bundle_case,
        BundleNotice.Kind.SERVICE_RECEIPT,
        now=act.now,
        data={
            "bundle_name": bundle_case.bundle_name,
            "number": bundle_case.number,
            "applicant": bundle_case.applicant_name,
            **record,
            "results": results,
            "delivered_at": act.now,
        },
    )


def delivery_record(case: Case | None) -> dict[str, str]:
    """What the service receipt shows of the delivery (as recorded on a sub-case; masked)."""
    from onewindow.cases.delivery_models import CaseDelivery
    from onewindow.core.masking import mask_id_number

    found = CaseDelivery.objects.filter(case=case).order_by("-id").first() if case is not None else None
    if found is None:
        return {"method": ""}
    return {
        "method": found.method,
        "recipient_relation": found.recipient_relation,
        "recipient_name": found.recipient_name,
        "recipient_id_number": mask_id_number(found.recipient_id_number),
        "carrier": found.carrier,
        "tracking_number": found.tracking_number,
    }
