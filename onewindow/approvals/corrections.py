"""The merged correction during processing (一次性告知, issue 13 §2): one joint clock, paused once.

* `request_correction` (a department handler with an open sub-case in the bundle): the first
  request opens a `BundleCorrection`, the bundle goes to correction_in_progress and EVERY running
  sub-case (accepted / in progress) is paused through its own `request_processing_correction`,
  performed by the system on the bundle's behalf (actor None, allowed on joint cases only: see
  cases.transitions). Each sub-case lists its own department's entries (those naming one of its
  item's materials), or one line saying the bundle waits for corrected materials. One merged
  notice lists every department's entries; one SMS; correction_count + 1.
  While the correction is open, another department's request adds its entries to the same
  correction: no second pause, correction_count unchanged, a new version of the merged notice
  (a new BundleNotice of kind correction listing everything so far) and the applicant is told
  once more, so that they bring everything in one visit; a running sub-case not yet paused (it
  was in a special procedure) joins the pause then.
* `receive_correction` (the lead or a general window): the correction ends; its working days
  are added to the bundle (due and legal due recomputed), every open phase's due moves by the
  same days, every open sub-case's cap becomes min(bundle due, its phase due), then the paused
  sub-cases resume together with `receive_processing_correction` (their own due moves once);
  the others only have their stored deadlines recomputed under the moved cap.

The 5-working-day rule of an application (第32条) applies to the bundle as a whole, but a window
answers a bundle intake in the same sitting (accept, correct or refuse: `bundle_case_intake`), so
a deemed acceptance never arises for window bundles.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from onewindow.approvals import plan as plans
from onewindow.approvals import progress, records, window_actions
from onewindow.approvals.clock_models import BundleCorrection
from onewindow.approvals.models import BundleCase, BundleCasePhase, BundleNotice, BundleSubCase
from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.cases import transitions as CT
from onewindow.cases.facts import OPEN_STATUSES, Status
from onewindow.cases.models import Case
from onewindow.cases.versions import published_version, snapshot
from onewindow.cases.work import jsonable
from onewindow.core.errors import InvalidTransition, ValidationFailed
from onewindow.core.masking import mask_id_number

# A sub-case in one of these runs its clock: the bundle's correction pauses it.
RUNNING: tuple[str, ...] = (Status.ACCEPTED, Status.IN_PROGRESS)
NOTE_MAX = 2000


# --- shared with the extension ---------------------------------------------------------------


def shift_open_phases(bundle_case: BundleCase, table: Any, days: int) -> None:
    """Move the due time of every open phase by `days` working days."""
    if days <= 0:
        return
    for phase in bundle_case.phases.filter(status=BundleCasePhase.Status.OPEN, due_at__isnull=False):
        assert phase.due_at is not None
        phase.due_at = case_clock.end_of_nth_working_day(table, case_clock.local_date(phase.due_at), days)
        phase.save(update_fields=["due_at"])


def cap_open_sub_cases(bundle_case: BundleCase) -> list[int]:
    """Set every open sub-case's cap to min(bundle due, its phase due); the ids of those sub-cases
    (their stored deadlines still have to be recomputed, by their own action or
    `cases.services.case_recompute_deadlines`)."""
    ids: list[int] = []
    subs = bundle_case.sub_cases.select_related("phase").filter(
        case__isnull=False, case__status__in=OPEN_STATUSES
    )
    for sub in subs:
        dues = [d for d in (bundle_case.due_at, sub.phase.due_at if sub.phase else None) if d is not None]
        if not dues or sub.case_id is None:
            continue
        Case.objects.filter(pk=sub.case_id).update(due_cap_at=min(dues))
        ids.append(sub.case_id)
    return ids


def recompute_sub_cases(case_ids: list[int]) -> None:
    """The stored deadlines of sub-cases whose cap moved (no action of their own)."""
    if case_ids:
        from onewindow.cases.services import case_recompute_deadlines

        case_recompute_deadlines(case_ids=case_ids)


# --- request ---------------------------------------------------------------------------------


def _clean_items(act: window_actions.Act) -> list[dict[str, Any]]:
    """The entries of this request, each tagged with its sub-case; ValidationFailed (details
    under `items`) before anything is written."""
    bundle_case, actor = act.bundle_case, act.actor
    raw = act.params.get("items")
    items, errors = window_actions.clean_correction_items(raw)
    if errors:
        raise ValidationFailed(
            _("Check the list of materials to correct."),
            details={key.replace("correction_items", "items", 1): v for key, v in errors.items()},
        )
    department_id = getattr(actor, "department_id", None) or 0  # the permission needs one
    own = {
        sub.item_code: sub
        for sub in bundle_case.sub_cases.select_related("case", "department")
        .filter(department_id=department_id, case__status__in=OPEN_STATUSES)
        .order_by("position")
    }
    default = next(iter(own.values()), None)
    tagged: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        sub = own.get(item["item_code"]) if item["item_code"] else default
        if sub is None or sub.case is None:
            errors[f"items.{i}.item_code"] = [_("Choose an open sub-case of your department in this bundle.")]
            continue
        tagged.append(
            {
                "name": item["name"],
                "note": item["note"],
                "item_code": sub.item_code,
                "item_name": sub.item_name,
                "department": sub.department.name,
                "department_code": sub.department.code,
                "number": sub.case.number,
                "requested_at": act.now,
            }
        )
    if errors:
        raise ValidationFailed(_("Check the list of materials to correct."), details=errors)
    return tagged


def _case_items(sub: BundleSubCase, all_items: list[dict[str, Any]], number: str) -> list[dict[str, str]]:
    """What the sub-case's own correction lists: its department's entries that name one of its
    item's materials, else one line saying the bundle waits (on its first material). Empty when
    the item has no material at all (the sub-case is then not paused)."""
    assert sub.case is not None
    snap = snapshot(sub.case.item_version)
    own: list[dict[str, str]] = []
    seen: set[int] = set()
    other: list[str] = []
    for item in all_items:
        material = snap.material_by_name.get(item["name"])
        if item["item_code"] == sub.item_code and material is not None and material.pk not in seen:
            seen.add(material.pk)
            own.append({"material": material.name, "note": item["note"] or _("To be corrected.")})
        else:
            other.append(f"{item['name']}（{item['department']}）")
    if own:
        return own
    if not snap.materials:
        return []
    return [
        {
            "material": snap.materials[0].name,
            "note": _("Bundle case %(number)s waits for corrected materials of the merged notice: %(names)s.")
            % {"number": number, "names": "、".join(other)},
        }
    ]


def _pause_running(
    bundle_case: BundleCase, correction: BundleCorrection, items: list[dict[str, Any]]
) -> list[str]:
    """Pause every running sub-case not yet paused by this correction; their numbers."""
    from onewindow.cases.services import case_act

    paused: list[str] = []
    reason = _("Merged correction of bundle case %(number)s.") % {"number": bundle_case.number}
    subs = bundle_case.sub_cases.select_related("case", "case__item_version").filter(case__status__in=RUNNING)
    for sub in subs.order_by("position"):
        case = sub.case
        assert case is not None
        if case.pk in correction.paused_cases:
            continue  # pragma: no cover - a paused sub-case is not running
        case_items = _case_items(sub, items, bundle_case.number)
        if not case_items:
            continue
        case_act(
            case=case.pk,
            action=CT.REQUEST_PROCESSING_CORRECTION,
            version=case.version,
            actor=None,
            items=case_items,
            reason=reason,
        )
        correction.paused_cases.append(case.pk)
        paused.append(case.number or case.receipt_number)
    return paused


def _notice(bundle_case: BundleCase, correction: BundleCorrection, now: dt.datetime, edition: int) -> None:
    records.bundle_notice(
        bundle_case,
        BundleNotice.Kind.CORRECTION,
        now=now,
        data={
            "bundle_name": bundle_case.bundle_name,
            "number": bundle_case.number,
            "applicant": {
                "name": bundle_case.applicant_name,
                "id_number": mask_id_number(bundle_case.applicant_id_number),
            },
            "items": [
                {k: item[k] for k in ("name", "note", "item_code", "item_name", "department", "number")}
                for item in correction.items
            ],
            "before_acceptance": False,
            "correction_id": correction.pk,
            "edition": edition,
        },
    )


def request_correction(act: window_actions.Act) -> None:
    """See the module: the first request pauses the bundle once, a later one adds to it."""
    bundle_case, now = act.bundle_case, act.now
    items = _clean_items(act)
    before = bundle_case.status
    correction = (
        BundleCorrection.objects.filter(bundle_case=bundle_case, ended_at__isnull=True)
        .order_by("-id")
        .first()
    )
    first = correction is None
    if correction is None:
        correction = BundleCorrection.objects.create(
            bundle_case=bundle_case, started_at=now, items=[], paused_cases=[], requested_by=act.actor
        )
        bundle_case.status = BundleCase.Status.CORRECTION_IN_PROGRESS
        bundle_case.correction_count += 1
        bundle_case.save(update_fields=["status", "correction_count"])
    correction.items = [*correction.items, *jsonable(items)]
    paused = _pause_running(bundle_case, correction, correction.items)
    correction.save(update_fields=["items", "paused_cases"])
    edition = bundle_case.notices.filter(
        kind=BundleNotice.Kind.CORRECTION, data__correction_id=correction.pk
    ).count()
    records.bundle_event(
        bundle_case,
        "request_correction",
        from_status=before,
        actor=act.actor,
        now=now,
        data={
            "items": items,
            "correction_id": correction.pk,
            "added_to_open_correction": not first,
            "paused": paused,
        },
    )
    _notice(bundle_case, correction, now, edition + 1)
    records.bundle_message(
        bundle_case,
        "bundle_correction_requested",
        materials="、".join(dict.fromkeys(item["name"] for item in correction.items)),
    )


# --- receive ---------------------------------------------------------------------------------


def _received_names(bundle_case: BundleCase, correction: BundleCorrection, refs: Any) -> list[str]:
    """The names of `refs` (positions or names of the bundle's materials, or names of the
    correction's entries); ValidationFailed (details under `materials`)."""
    if refs in (None, ""):
        return []
    if not isinstance(refs, list):
        raise ValidationFailed(_("Check the materials."), details={"materials": [_("Expected a list.")]})
    by_position = {str(m["position"]): m["name"] for m in bundle_case.materials}
    known = {m["name"] for m in bundle_case.materials} | {item["name"] for item in correction.items}
    names: list[str] = []
    errors: dict[str, list[str]] = {}
    for i, ref in enumerate(refs):
        ref = ref.get("material") if isinstance(ref, dict) else ref
        text = str(ref if ref is not None else "").strip()
        name = by_position.get(text) if text.isdigit() else (text if text in known else None)
        if name is None:
            errors[f"materials.{i}"] = [_("This material is not on the bundle's list or the notice.")]
        elif name not in names:
            names.append(name)
    if errors:
        raise ValidationFailed(_("Check the materials."), details=errors)
    return names


def _mark_received(bundle_case: BundleCase, names: list[str]) -> None:
    if not any(m["name"] in names and not m["received"] for m in bundle_case.materials):
        return
    bundle_case.materials = [
        dict(m, received=m["received"] or m["name"] in names) for m in bundle_case.materials
    ]
    bundle_case.save(update_fields=["materials"])
    for sub in bundle_case.sub_cases.filter(case__isnull=True):  # phases still to open
        version = published_version(bundle_case.center_id, sub.item_code)
        sub.materials = plans.item_materials(bundle_case.materials, sub.item_code, version)
        sub.save(update_fields=["materials"])


def receive_correction(act: window_actions.Act) -> None:
    """See the module: the bundle's clock runs again and every paused sub-case resumes with it."""
    from onewindow.cases.services import case_act

    bundle_case, now = act.bundle_case, act.now
    correction = (
        BundleCorrection.objects.filter(bundle_case=bundle_case, ended_at__isnull=True)
        .order_by("-id")
        .first()
    )
    if correction is None:  # pragma: no cover - the status says there is one
        raise InvalidTransition(_("There is no open correction."), details={"allowed_actions": []})
    names = _received_names(bundle_case, correction, act.params.get("materials"))
    note = str(act.params.get("note") or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed(
            _("Check the materials."), details={"note": [_("At most %(n)s characters.") % {"n": NOTE_MAX}]}
        )
    table = calendar_table()
    days = case_clock.pause_working_days(
        table, started_on=case_clock.local_date(correction.started_at), ended_on=case_clock.local_date(now)
    )
    correction.ended_at = now
    correction.paused_working_days = days
    correction.received_by = act.actor
    correction.materials = names
    correction.note = note
    correction.save(update_fields=["ended_at", "paused_working_days", "received_by", "materials", "note"])
    _mark_received(bundle_case, names)
    before = bundle_case.status
    bundle_case.status = BundleCase.Status.IN_PROGRESS
    bundle_case.paused_working_days += days
    window_actions.recompute_due(bundle_case, table, now=act.now)
    bundle_case.save(
        update_fields=["status", "paused_working_days", "due_at", "legal_due_at", "warn_at", "level"]
    )
    shift_open_phases(bundle_case, table, days)
    capped = cap_open_sub_cases(bundle_case)  # before the resumes: each due moves once
    resumed: list[str] = []
    for case in (
        Case.objects.select_related("item_version")
        .filter(pk__in=correction.paused_cases, status=Status.CORRECTION_IN_PROGRESS)
        .order_by("pk")
    ):
        snap = snapshot(case.item_version)
        done = case_act(
            case=case.pk,
            action=CT.RECEIVE_PROCESSING_CORRECTION,
            version=case.version,
            actor=None,
            materials=[n for n in names if n in snap.material_by_name],
            note=note
            or _("Corrected materials received for bundle case %(number)s.") % {"number": bundle_case.number},
        )
        resumed.append(done.number or done.receipt_number)
        capped = [pk for pk in capped if pk != case.pk]
    recompute_sub_cases(capped)
    records.bundle_event(
        bundle_case,
        "receive_correction",
        from_status=before,
        actor=act.actor,
        now=now,
        data={
            "correction_id": correction.pk,
            "materials": names,
            "note": note,
            "paused_working_days": days,
            "due_at": bundle_case.due_at,
            "legal_due_at": bundle_case.legal_due_at,
            "resumed": resumed,
        },
    )
    progress.advance(bundle_case, now=now, actor=act.actor)
