"""The joint extension (行政许可法 art. 42 para 2): joint handling takes at most 45 working days
(settings.BUNDLE_LEGAL_LIMIT_DAYS), extendable ONCE by at most 15 (settings.BUNDLE_EXTENSION_DAYS)
with the approval of the government's head, the applicant told why.

* `request_extension`: at the lead department's window or a general window (permission
  cases.accept_case, as every other action the window takes on the whole bundle; the window
  speaks for the bundle and the departments ask it); params `days` (1…15) and `reason`. One
  open request at a time (code extension_pending); none once an extension was approved (code
  extension_exhausted).
* `approve_extension` / `reject_extension`: the government's head (role government_head,
  permission approvals.approve_joint_extension); `note` (required to reject). Approving adds the
  days to the bundle (due and legal due recomputed), moves every open phase's due by the same
  days (the running phases are part of the extended joint handling; later phases keep their own
  limits, capped by the bundle's due), moves every open sub-case's cap and recomputes its
  stored deadlines, issues the extension notice and tells the applicant (SMS bundle_extended).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from onewindow.approvals import corrections, records, window_actions
from onewindow.approvals.clock_models import BundleExtension
from onewindow.approvals.models import BundleCase, BundleNotice
from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.core.errors import InvalidTransition, ValidationFailed

TEXT_MAX = 2000


def max_days() -> int:
    return int(getattr(settings, "BUNDLE_EXTENSION_DAYS", 15))


def _exhausted(bundle_case: BundleCase) -> None:
    if (
        bundle_case.extension_days > 0
        or BundleExtension.objects.filter(
            bundle_case=bundle_case, status=BundleExtension.Status.APPROVED
        ).exists()
    ):
        message = _(
            "The joint limit of this bundle case has already been extended once; it cannot be extended again."
        )
        raise ValidationFailed(message, code="extension_exhausted", details={"days": [message]})


def _pending(bundle_case: BundleCase) -> BundleExtension | None:
    return (
        BundleExtension.objects.filter(bundle_case=bundle_case, status=BundleExtension.Status.REQUESTED)
        .order_by("-id")
        .first()
    )


def request_extension(act: window_actions.Act) -> None:
    bundle_case = act.bundle_case
    _exhausted(bundle_case)
    if _pending(bundle_case) is not None:
        raise ValidationFailed(
            _("An extension request is already waiting for approval."), code="extension_pending"
        )
    errors: dict[str, list[str]] = {}
    raw_days = act.params.get("days")
    days = 0
    try:
        days = int(raw_days) if isinstance(raw_days, int | str) and not isinstance(raw_days, bool) else 0
    except (TypeError, ValueError):
        days = 0
    if days < 1 or days > max_days():
        errors["days"] = [_("Between 1 and %(n)s working days.") % {"n": max_days()}]
    reason = str(act.params.get("reason") or "").strip()
    if not reason:
        errors["reason"] = [_("The reason is required.")]
    elif len(reason) > TEXT_MAX:
        errors["reason"] = [_("At most %(n)s characters.") % {"n": TEXT_MAX}]
    if errors:
        raise ValidationFailed(_("Check the extension request."), details=errors)
    extension = BundleExtension.objects.create(
        bundle_case=bundle_case, days=days, reason=reason, requested_at=act.now, requested_by=act.actor
    )
    records.bundle_event(
        bundle_case,
        "request_extension",
        from_status=bundle_case.status,
        actor=act.actor,
        now=act.now,
        data={"extension_id": extension.pk, "days": days, "reason": reason},
    )


def _decision(act: window_actions.Act, *, note_required: bool) -> tuple[BundleExtension, str]:
    extension = _pending(act.bundle_case)
    if extension is None:
        raise InvalidTransition(
            _("There is no extension request to decide."), details={"allowed_actions": []}
        )
    note = str(act.params.get("note") or "").strip()
    if note_required and not note:
        raise ValidationFailed(
            _("Say why the extension is rejected."),
            details={"note": [_("Say why the extension is rejected.")]},
        )
    if len(note) > TEXT_MAX:
        raise ValidationFailed(
            _("Check the note."), details={"note": [_("At most %(n)s characters.") % {"n": TEXT_MAX}]}
        )
    return extension, note


def approve_extension(act: window_actions.Act) -> None:
    bundle_case, now = act.bundle_case, act.now
    extension, note = _decision(act, note_required=False)
    _exhausted(bundle_case)
    extension.status = BundleExtension.Status.APPROVED
    extension.decided_at = now
    extension.decided_by = act.actor
    extension.note = note
    extension.save(update_fields=["status", "decided_at", "decided_by", "note"])
    table = calendar_table()
    bundle_case.extension_days += extension.days
    window_actions.recompute_due(bundle_case, table, now=act.now)
    bundle_case.save(update_fields=["extension_days", "due_at", "legal_due_at", "warn_at", "level"])
    corrections.shift_open_phases(bundle_case, table, extension.days)
    corrections.recompute_sub_cases(corrections.cap_open_sub_cases(bundle_case))
    due_date = case_clock.local_date(bundle_case.due_at) if bundle_case.due_at else None
    records.bundle_event(
        bundle_case,
        "approve_extension",
        from_status=bundle_case.status,
        actor=act.actor,
        now=now,
        data={
            "extension_id": extension.pk,
            "days": extension.days,
            "reason": extension.reason,
            "note": note,
            "due_at": bundle_case.due_at,
            "legal_due_at": bundle_case.legal_due_at,
        },
    )
    records.bundle_notice(
        bundle_case,
        BundleNotice.Kind.EXTENSION,
        now=now,
        data={
            "bundle_name": bundle_case.bundle_name,
            "number": bundle_case.number,
            "applicant": bundle_case.applicant_name,
            "days": extension.days,
            "reason": extension.reason,
            "approved_on": case_clock.local_date(now),
            "due_at": bundle_case.due_at,
            "legal_due_at": bundle_case.legal_due_at,
        },
    )
    records.bundle_message(
        bundle_case,
        "bundle_extended",
        days=extension.days,
        reason=extension.reason,
        due_date=due_date or "",
    )


def reject_extension(act: window_actions.Act) -> None:
    bundle_case, now = act.bundle_case, act.now
    extension, note = _decision(act, note_required=True)
    extension.status = BundleExtension.Status.REJECTED
    extension.decided_at = now
    extension.decided_by = act.actor
    extension.note = note
    extension.save(update_fields=["status", "decided_at", "decided_by", "note"])
    records.bundle_event(
        bundle_case,
        "reject_extension",
        from_status=bundle_case.status,
        actor=act.actor,
        now=now,
        data={"extension_id": extension.pk, "days": extension.days, "reason": extension.reason, "note": note},
    )
