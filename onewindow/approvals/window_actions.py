"""What the window does with a bundle case: create it from its plan, accept it (the first
phase opens), ask for the one merged correction at intake, refuse it; accept or refuse it once
the corrected materials come. Called by `services` inside their transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from onewindow.approvals import levels, progress, records
from onewindow.approvals import plan as plans
from onewindow.approvals.models import BundleCase, BundleCasePhase, BundleNotice, BundleSubCase
from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.cases.permissions import Actor
from onewindow.cases.versions import published_version
from onewindow.core.errors import ValidationFailed
from onewindow.core.masking import mask_id_number
from onewindow.org.models import Center, Window

MAX_CORRECTION_ITEMS = 50


@dataclass
class Act:
    bundle_case: BundleCase
    actor: Actor
    now: dt.datetime
    params: dict[str, Any] = field(default_factory=dict)
    target: str = ""


def legal_limit() -> int:
    """The legal limit of joint handling (行政许可法 art. 42 para 2): 45 working days."""
    return int(getattr(settings, "BUNDLE_LEGAL_LIMIT_DAYS", 45))


@dataclass
class Draft:
    """A new bundle case built in memory, with the intakes of the sub-cases it opens at once:
    `build` only reads, `save` writes it (in the caller's transaction)."""

    bundle_case: BundleCase
    phases: list[BundleCasePhase]
    subs: list[BundleSubCase]
    opening: list[BundleSubCase]
    prepared: list[Any]
    opened: list[dict[str, Any]] = field(default_factory=list)  # set by `save`


def build(
    the_plan: plans.Plan,
    *,
    center: Center,
    window: Window | None,
    actor: Actor,
    applicant: dict[str, str],
    answers: dict[str, Any],
    delivery_method: str,
    note: str,
    now: dt.datetime,
    status: str,
) -> Draft:
    """The new bundle case, its phases and its sub-cases (the plan's items), in memory. Accepted
    at once (`status` in progress): the joint clock starts and the intakes of the first phase's
    sub-cases are built, to be written with it by `save` (one pass: every row is inserted as it
    ends up, and nothing here holds SQLite's write lock)."""
    bundle = the_plan.bundle
    bundle_case = BundleCase(
        center=center,
        bundle=bundle,
        bundle_code=bundle.code,
        bundle_name=bundle.name,
        lead_department=bundle.lead_department,
        number="",
        status=status,
        version=1,
        window=window,
        applicant_kind=applicant["kind"],
        applicant_name=applicant["name"],
        applicant_id_type=applicant["id_type"],
        applicant_id_number=applicant["id_number"],
        applicant_phone=applicant["phone"],
        applicant_address=applicant.get("address", ""),
        legal_rep_name=applicant.get("legal_rep_name", ""),
        legal_rep_id_number=applicant.get("legal_rep_id_number", ""),
        answers=answers,
        form=the_plan.form,
        materials=the_plan.materials,
        delivery_method=delivery_method,
        note=note[:2000],
        received_at=now,
        promised_limit=bundle.promised_limit,
        legal_limit=legal_limit(),
        created_at=now,
        created_by=actor,
    )
    accepted = status == BundleCase.Status.IN_PROGRESS
    if accepted:
        bundle_case.accepted_at = now
        bundle_case.accepted_on = case_clock.local_date(now)
        recompute_due(bundle_case, calendar_table())
    phases = [
        BundleCasePhase(
            bundle_case=bundle_case,
            position=planned.position,
            name=planned.name,
            promised_limit=planned.promised_limit,
            merge_with_previous=planned.merge_with_previous,
        )
        for planned in the_plan.phases
    ]
    subs: list[BundleSubCase] = []
    for phase, planned in zip(phases, the_plan.phases, strict=True):
        for bundle_item in planned.items:
            code = bundle_item.code
            version = the_plan.versions[code]
            subs.append(
                BundleSubCase(
                    bundle_case=bundle_case,
                    phase=phase,
                    position=len(subs) + 1,
                    item_code=code,
                    item_name=version.name,
                    department=version.department,
                    form=the_plan.item_forms.get(code, {}),
                    materials=plans.item_materials(the_plan.materials, code, version),
                )
            )
    opening: list[BundleSubCase] = []
    prepared: list[Any] = []
    if accepted:
        group = progress.opening_group(phases)
        opening = [s for s in subs if s.phase in group]
        prepared = progress.prepare_group(
            bundle_case, group, opening, now=now, actor=actor, versions=the_plan.versions
        )
    return Draft(bundle_case, phases, subs, opening, prepared)


def save(draft: Draft, *, number: str, now: dt.datetime) -> BundleCase:
    """Write a `build`: the bundle case with its number, its phases, the opened sub-cases'
    intakes and the sub-cases."""
    bundle_case = draft.bundle_case
    bundle_case.number = number
    bundle_case.save(force_insert=True)
    BundleCasePhase.objects.bulk_create(draft.phases)  # the sub-cases take their phase's new key
    draft.opened = progress.finish_group(draft.opening, draft.prepared, now=now) if draft.opening else []
    BundleSubCase.objects.bulk_create(draft.subs)
    return bundle_case


def _applicant_public(bundle_case: BundleCase) -> dict[str, str]:
    return {"name": bundle_case.applicant_name, "id_number": mask_id_number(bundle_case.applicant_id_number)}


def accept(act: Act, *, draft: Draft | None = None) -> None:
    """Accept: the joint clock starts (working days, the start day not counted), the first
    phase's sub-cases open at this moment (at intake `create` did both: `first`), one
    acceptance notice lists each item, department and due date and the joint due date."""
    bundle_case, now = act.bundle_case, act.now
    first = draft is not None
    before = "" if first else bundle_case.status
    if draft is not None:
        opened_list = draft.opened
    else:
        bundle_case.status = BundleCase.Status.IN_PROGRESS
        bundle_case.accepted_at = now
        bundle_case.accepted_on = case_clock.local_date(now)
        recompute_due(bundle_case, calendar_table())
        bundle_case.save(
            update_fields=[
                "status",
                "accepted_at",
                "accepted_on",
                "due_at",
                "legal_due_at",
                "warn_at",
                "level",
            ]
        )
        waiting = list(bundle_case.phases.order_by("position"))
        group = progress.opening_group(waiting)
        subs = list(
            bundle_case.sub_cases.filter(phase__in=group)
            .select_related("department", "phase")
            .order_by("position")
        )
        opened_list = progress.open_group(bundle_case, group, subs, now=now, actor=act.actor)
        BundleCasePhase.objects.bulk_update(group, ["status", "opened_at", "due_at"])
        BundleSubCase.objects.bulk_update(subs, ["case", "decided_at"])
    opened = {o["item_code"]: o for o in opened_list}
    listing = [
        {
            "item_code": s["item_code"],
            "item_name": s["item_name"],
            "department": s["department__name"],
            "phase": s["phase__name"] or "",
            "number": opened.get(s["item_code"], {}).get("number", ""),
            "due_at": opened.get(s["item_code"], {}).get("due_at"),
        }
        for s in _sub_case_rows(bundle_case, draft)
    ]
    records.bundle_event(
        bundle_case,
        "accept",
        from_status=before,
        actor=act.actor,
        now=now,
        first=first,
        data={
            "applicant": _applicant_public(bundle_case),
            "answers": bundle_case.answers,
            "materials": [m["name"] for m in bundle_case.materials if m["received"]],
            "sub_cases": listing,
            "due_at": bundle_case.due_at,
            "legal_due_at": bundle_case.legal_due_at,
        },
    )
    records.bundle_notice(
        bundle_case,
        BundleNotice.Kind.ACCEPTANCE,
        now=now,
        first=first,
        data={
            "bundle_name": bundle_case.bundle_name,
            "number": bundle_case.number,
            "applicant": _applicant_public(bundle_case),
            "accepted_on": bundle_case.accepted_on,
            "items": listing,
            "due_at": bundle_case.due_at,
            "legal_due_at": bundle_case.legal_due_at,
            "promised_limit": bundle_case.promised_limit,
        },
    )
    records.bundle_message(
        bundle_case,
        "bundle_accepted",
        item_count=len(listing),
        due_date=case_clock.local_date(bundle_case.due_at) if bundle_case.due_at else "",
    )
    if any(o["decided"] for o in opened_list):  # an instant item: its phase may be done already
        progress.advance(bundle_case, now=now, actor=act.actor)


def _sub_case_rows(bundle_case: BundleCase, draft: Draft | None) -> list[dict[str, Any]]:
    """Item, department and phase of each sub-case: at intake from the rows just written (the
    draft), otherwise read."""
    if draft is not None:
        return [
            {
                "item_code": s.item_code,
                "item_name": s.item_name,
                "department__name": s.department.name,
                "phase__name": s.phase.name if s.phase else "",
            }
            for s in draft.subs
        ]
    return [
        dict(row)
        for row in bundle_case.sub_cases.order_by("position").values(
            "item_code", "item_name", "department__name", "phase__name"
        )
    ]


def recompute_due(bundle_case: BundleCase, table: Any, *, now: dt.datetime | None = None) -> None:
    """The joint due time and the legal one from the acceptance day, the paused working days and
    the approved extension, and its yellow warning time (with `now`: the level the moved due
    time puts it at). The caller saves due_at, legal_due_at, warn_at and level."""
    if bundle_case.accepted_on is None:
        return
    for attr, limit in (("due_at", bundle_case.promised_limit), ("legal_due_at", bundle_case.legal_limit)):
        setattr(
            bundle_case,
            attr,
            case_clock.case_due_at(
                table,
                accepted_on=bundle_case.accepted_on,
                limit=limit,
                paused_working_days=bundle_case.paused_working_days,
                extension_days=bundle_case.extension_days,
            ),
        )
    levels.set_bundle_warn_at(bundle_case, table, now=now)


def clean_correction_items(raw: Any) -> tuple[list[dict[str, str]], dict[str, list[str]]]:
    """The one-time notice's entries: [{"name": material, "note": what to fix, "item_code"?}]."""
    errors: dict[str, list[str]] = {}
    items: list[dict[str, str]] = []
    if not isinstance(raw, list) or not raw:
        return [], {"correction_items": [_("List what the applicant must bring or correct.")]}
    if len(raw) > MAX_CORRECTION_ITEMS:
        return [], {"correction_items": [_("At most %(n)s entries.") % {"n": MAX_CORRECTION_ITEMS}]}
    for i, entry in enumerate(raw):
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict):
            errors[f"correction_items.{i}"] = [_("Expected a material name and a note.")]
            continue
        name = str(entry.get("name") or entry.get("material") or "").strip()
        note = str(entry.get("note") or entry.get("reason") or "").strip()
        if not name:
            errors[f"correction_items.{i}.name"] = [_("Name the material.")]
            continue
        if len(name) > 200 or len(note) > 500:
            errors[f"correction_items.{i}"] = [_("Too long.")]
            continue
        items.append({"name": name, "note": note, "item_code": str(entry.get("item_code") or "")[:40]})
    return items, errors


def request_correction_at_intake(act: Act, items: list[dict[str, str]]) -> None:
    bundle_case, now = act.bundle_case, act.now
    bundle_case.status = BundleCase.Status.CORRECTION_REQUESTED
    bundle_case.correction_count += 1
    bundle_case.save(update_fields=["status", "correction_count"])
    records.bundle_event(
        bundle_case,
        "request_correction",
        from_status="",
        actor=act.actor,
        now=now,
        first=True,
        data={"items": items, "applicant": _applicant_public(bundle_case)},
    )
    records.bundle_notice(
        bundle_case,
        BundleNotice.Kind.CORRECTION,
        now=now,
        data={
            "bundle_name": bundle_case.bundle_name,
            "number": bundle_case.number,
            "items": items,
            "before_acceptance": True,
        },
    )
    records.bundle_message(
        bundle_case, "bundle_correction_requested", materials="、".join(i["name"] for i in items)
    )


def refuse(act: Act, *, reason: str, first: bool = False) -> None:
    bundle_case, now = act.bundle_case, act.now
    before = "" if first else bundle_case.status
    bundle_case.status = BundleCase.Status.REFUSED
    bundle_case.save(update_fields=["status"])
    records.bundle_event(
        bundle_case,
        "refuse",
        from_status=before,
        actor=act.actor,
        now=now,
        first=first,
        data={"reason": reason, "applicant": _applicant_public(bundle_case)},
    )
    records.bundle_notice(
        bundle_case,
        BundleNotice.Kind.REFUSAL,
        now=now,
        data={"bundle_name": bundle_case.bundle_name, "number": bundle_case.number, "reason": reason},
    )
    records.bundle_message(bundle_case, "bundle_refused", reason=reason)


def accept_after_correction(act: Act) -> None:
    """The corrected materials came: tick them (`materials`), then accept (a required material
    still missing needs `note`)."""
    bundle_case = act.bundle_case
    refs = act.params.get("materials") or []
    if not isinstance(refs, list):
        raise ValidationFailed(_("Check the materials."), details={"materials": [_("Expected a list.")]})
    names = {str(m["position"]): m["name"] for m in bundle_case.materials}
    by_name = {m["name"] for m in bundle_case.materials}
    errors: dict[str, list[str]] = {}
    chosen: set[str] = set()
    for i, ref in enumerate(refs):
        ref = ref.get("material") if isinstance(ref, dict) else ref
        name = (
            names.get(str(ref))
            if str(ref).isdigit()
            else (str(ref).strip() if str(ref).strip() in by_name else None)
        )
        if name is None:
            errors[f"materials.{i}"] = [_("This material is not on the bundle's list.")]
        else:
            chosen.add(name)
    materials = [dict(m, received=m["received"] or m["name"] in chosen) for m in bundle_case.materials]
    note = str(act.params.get("note") or "").strip()
    codes = set(bundle_case.sub_cases.values_list("item_code", flat=True))
    missing = plans.missing_required(materials, codes)
    if missing and not note:
        errors["note"] = [
            _("Required materials are missing: %(names)s. Explain why the bundle is accepted without them.")
            % {"names": "、".join(missing)}
        ]
    if errors:
        raise ValidationFailed(_("Check the application."), details=errors)
    bundle_case.materials = materials
    if note:
        bundle_case.note = note[:2000]
    bundle_case.save(update_fields=["materials", "note"])
    for sub in bundle_case.sub_cases.filter(case__isnull=True):
        version = published_version(bundle_case.center_id, sub.item_code)
        sub.materials = plans.item_materials(materials, sub.item_code, version)
        sub.save(update_fields=["materials"])
    accept(act)


def refuse_after_correction(act: Act) -> None:
    reason = str(act.params.get("reason") or act.params.get("note") or "").strip()
    if not reason:
        raise ValidationFailed(
            _("The reason is required."), details={"reason": [_("The reason is required.")]}
        )
    refuse(act, reason=reason[:2000])
