"""Writing cases: the public entry points. Every one is atomic: it locks the case row, compares
the client's `version` (stale → Conflict), checks the state table (`transitions.py`), the
guards (`guards.py`) and the actor's permission (`permissions.py`), runs the action's effect
(`effects.py`) on a unit of work (`work.py`) and writes it (`persistence.py`): the new state,
`version` + 1, exactly ONE `CaseEvent` per transition, and the applicant's messages, which the
outbox delivers after the commit.

Entry points: `case_intake`, `case_submit_online`, `case_act` (every action of the table, with
the parameters listed in `params.ACTION_PARAMS`), the clock's system actions
`case_deem_accept_overdue` and `case_deem_approve_overdue_steps`, `case_recompute_deadlines`,
`case_reveal_applicant`, `case_file_add`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.cases import deadlines, numbers, overdue, persistence
from onewindow.cases import transitions as T
from onewindow.cases.applicants import validate_agent, validate_applicant
from onewindow.cases.effects import apply
from onewindow.cases.facts import Status
from onewindow.cases.guards import case_allowed_actions, guard
from onewindow.cases.intake import applicant_public, intake_errors, intake_window, new_case, validate_common
from onewindow.cases.materials import check_missing_required, intake_materials
from onewindow.cases.materials import correction_items as checked_correction_items
from onewindow.cases.models import (
    ALLOWED_FILE_EXTENSIONS,
    MAX_FILE_SIZE,
    Case,
    CaseFile,
    CaseMaterial,
    CaseStep,
)
from onewindow.cases.params import ACTION_PARAMS, PUBLIC_ACTIONS, Param, clean_params
from onewindow.cases.permissions import Actor, actor_may, can_handle_step, has_perm, sees_case
from onewindow.cases.steps import decision_step_position
from onewindow.cases.versions import published_version, snapshot
from onewindow.cases.work import NumberKind, Work
from onewindow.catalog.models import ProcessStep, ServiceItemVersion
from onewindow.core import audit, clock, filetypes
from onewindow.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from onewindow.org.models import Center, User, Window


@transaction.atomic
def case_act(*, case: Case | str | int, action: str, version: int, actor: Actor, **params: Any) -> Case:
    """Perform `action` on `case` (a Case, its id, a case number or a receipt number).

    `version` is the version the client saw (stale → Conflict). `params` are those listed in
    `ACTION_PARAMS[action]`. Raises InvalidTransition (details: allowed actions), PermissionDenied,
    ValidationFailed, NotFound, Conflict.
    """
    locked, all_steps = persistence.lock_case(case)
    if version is None or int(version) != locked.version:
        raise Conflict(
            _(
                "The case was changed by someone else (version %(theirs)s, you have %(yours)s); "
                "reload it and try again."
            )
            % {"theirs": locked.version, "yours": version},
            details={"version": locked.version},
        )
    transition = T.transition_for(locked.status, action)
    now = clock.now()
    steps = all_steps if locked.accepted_on else []
    reason = guard(locked, action, steps, now)
    if reason is not None:
        raise InvalidTransition(
            reason,
            details={
                "status": locked.status,
                "action": action,
                "allowed_actions": case_allowed_actions(locked, actor),
            },
        )
    if actor is None:
        if transition.permission is not T.SYSTEM and not (locked.joint and action in T.JOINT_SYSTEM_ACTIONS):
            raise PermissionDenied(_("This action needs a staff member."))
    else:
        why = actor_may(actor, locked, action, transition, steps)
        if why is not None:
            raise PermissionDenied(why)
    cleaned = clean_params(action, params)
    work = Work(case=locked, actor=actor, now=now, table=calendar_table(), steps=steps)
    apply(work, action, cleaned)
    persistence.write(work)
    return locked


def case_intake(**kwargs: Any) -> Case:
    """Register an application at a window and answer it in the same sitting: see `_intake_work`
    for the parameters and rules."""
    work = _intake_work(**kwargs)
    # Everything above only reads; the transaction (and SQLite's write lock) starts here. No
    # AuditEntry: the case events record who, when, from where, what (ADR 0009).
    with transaction.atomic():
        persistence.write(work)
    return work.case


def case_intake_many(intakes: list[dict[str, Any]]) -> list[Case]:
    """Several intakes of one center at one moment (`now`), written together (a bundle's
    sub-cases: `joint`): each dict holds `case_intake`'s parameters. All or nothing."""
    return case_intake_write(case_intake_prepare(intakes))


def case_intake_prepare(intakes: list[dict[str, Any]]) -> list[Work]:
    """`case_intake_many` in two halves: this one checks and builds the intakes and only reads
    (call it before the caller's transaction, so SQLite's write lock is not held meanwhile);
    `case_intake_write` writes what it returned. The units of work are opaque to the caller."""
    return [_intake_work(**kwargs) for kwargs in intakes]


def case_intake_write(prepared: list[Work]) -> list[Case]:
    """Write intakes built by `case_intake_prepare` (their numbers are taken now)."""
    with transaction.atomic():
        persistence.write_new(prepared)
    return [work.case for work in prepared]


def _intake_work(
    *,
    actor: Actor,
    item_code: str,
    center: Center,
    applicant: dict[str, Any],
    channel: str,
    materials: list[dict[str, Any]],
    action: str,
    note: str = "",
    correction_items: Iterable[dict[str, Any]] = (),
    window: Window | None = None,
    agent: dict[str, Any] | None = None,
    green_channel: bool = False,
    green_channel_handler: User | None = None,
    received_at: dt.datetime | None = None,
    delivery_method: str = "pickup",
    green_channel_reason: str = "",
    now: dt.datetime | None = None,
    due_cap_at: dt.datetime | None = None,
    joint: bool = False,
    form: dict[str, str] | None = None,
    version: ServiceItemVersion | None = None,
) -> Work:
    """Register an application at a window (receipt number, status received) and answer it in
    the same sitting with exactly one of `action`: "accept" (an instant item is then completed
    too), "correct" (one-time notice listing `correction_items`) or "refuse" (`note` is the
    reason). Accepting with a required material missing needs `note` to explain it.

    A bundle (onewindow.approvals) opens its sub-cases with `joint` (accepted at the bundle's
    window whatever the item's department), one shared `now` (the same acceptance moment) and
    `due_cap_at` (never due after the bundle), and the bundle's single form mapped onto the
    item's fields (`form`, kept in the first event, personal numbers masked by the caller)."""
    if action not in ("accept", "correct", "refuse"):
        raise ValidationFailed(
            _("Choose accept, correct or refuse."),
            details={"action": [_("Choose accept, correct or refuse.")]},
        )
    if version is None or version.item.code != item_code:  # `version`: the caller just read it
        version = published_version(center, item_code)
    window = intake_window(actor, window, version, joint=joint)
    problems = intake_errors(
        version=version,
        applicant=applicant,
        agent=agent,
        channel=channel,
        action=action,
        note=note,
        green_channel=green_channel,
        green_channel_handler=green_channel_handler,
        delivery_method=delivery_method,
        green_channel_reason=green_channel_reason,
    )
    snap = snapshot(version)
    material_rows: list[CaseMaterial] = []
    try:  # the materials' problems in the same round as the rest
        material_rows = intake_materials(snap, materials)
        if action == "accept":
            check_missing_required(snap, material_rows, note)
        elif action == "correct":
            checked_correction_items(snap, correction_items, field_name="correction_items")
    except ValidationFailed as exc:
        if not problems:  # only the materials: their own code and message
            raise
        details = exc.details if isinstance(exc.details, dict) else {"materials": [exc.message]}
        for key, messages in details.items():
            problems.setdefault(key, []).extend(messages if isinstance(messages, list) else [messages])
    if problems:  # every problem at once (issue 11 §1.6)
        raise ValidationFailed(_("Check the application."), details=problems)
    applicant_data = validate_applicant(applicant)
    agent_data = validate_agent(agent)
    now = now or clock.now()
    if received_at is not None and received_at > now:
        raise ValidationFailed(
            _("The receipt time is in the future."), details={"received_at": [_("In the future.")]}
        )
    received_at = received_at or now
    table = calendar_table()
    case = new_case(
        version=version,
        center=version.item.center,
        applicant=applicant_data,
        agent=agent_data,
        channel=channel,
        window=window,
        actor=actor,
        now=now,
        status=Status.RECEIVED,
        green_channel=green_channel,
        green_channel_handler=green_channel_handler,
        delivery_method=delivery_method,
        note=note if action == "accept" else "",
        green_channel_reason=green_channel_reason,
    )
    case.received_at = received_at
    case.due_cap_at = due_cap_at
    case.joint = joint
    received_on = case_clock.local_date(received_at)
    case.answer_due_at = case_clock.answer_due_at(table, received_on=received_on)
    work = Work(case=case, actor=actor, now=now, table=table, new_case=True)
    work.want_number(NumberKind.RECEIPT, received_on)
    work.materials = material_rows
    work.event(
        T.RECEIVE,
        "",
        data={
            "channel": case.channel,
            "applicant": applicant_public(case),
            "agent": agent_data["name"] if agent_data else "",
            "materials": [m.name for m in material_rows if m.received],
            "green_channel": case.green_channel,
            "green_channel_reason": case.green_channel_reason,
            **({"form": form} if form else {}),
        },
    )
    if action == "accept":
        apply(work, T.ACCEPT, {"note": note})
        if case.is_instant:
            _complete_instant(work)
    elif action == "correct":
        apply(work, T.REQUEST_CORRECTION, {"items": list(correction_items or ()), "reason": ""})
    else:
        apply(work, T.REFUSE, {"reason": note.strip()})
    return work


def _complete_instant(work: Work) -> None:
    """An instant item (即办件) is accepted and completed in one sitting: the clerk passes (or
    decides) every step, then completes; one event per transition. A clerk whose window holds no
    delegation for the item (窗口授权) stops at the first step they may not act on: the case is
    accepted and waits there for the department, due the same day (its promised limit is 0)."""
    case, steps, actor = work.case, work.steps, work.actor
    while case.active_step_position is not None:
        active = work.active_step()
        assert active is not None
        action = T.PASS_STEP
        if active.kind == ProcessStep.Kind.DECIDE and active.position == decision_step_position(steps):
            action = T.GRANT
        elif active.kind == ProcessStep.Kind.CERTIFY and case.status == Status.DECIDED_GRANTED:
            action = T.ISSUE_CERTIFICATE
        if _instant_refusal(actor, case, action, steps) is not None:
            return
        apply(work, action, {"opinion": ""})
    if _instant_refusal(actor, case, T.COMPLETE, steps) is None:
        apply(work, T.COMPLETE, {"note": ""})


def _instant_refusal(actor: Actor, case: Case, action: str, steps: list[CaseStep]) -> str | None:
    if actor is None:  # pragma: no cover - an intake always has its clerk
        return _("This action needs a staff member.")
    return actor_may(actor, case, action, T.transition_for(case.status, action), steps)


@transaction.atomic
def case_submit_online(
    *,
    center: Center,
    item_code: str,
    applicant: dict[str, Any],
    materials: list[dict[str, Any]],
    agent: dict[str, Any] | None = None,
    delivery_method: str = "pickup",
    note: str = "",
    files: Iterable[OnlineFileRef] = (),
) -> Case:
    """An online application (网上申报): status submitted, awaiting pre-review. It gets a receipt
    number now, and its 5-working-day answer deadline (第32条) runs from now: `pre_review_pass`
    moves it to received and keeps that deadline; past it, `case_deem_accept_overdue` accepts it.
    `files`: uploads already stored (`OnlineFileRef`), attached to their material rows in the
    same transaction."""
    version = published_version(center, item_code)
    if not version.online_allowed:
        raise ValidationFailed(
            _("This item cannot be applied for online."),
            code="online_not_allowed",
            details={"item_code": [_("Apply at a window.")]},
        )
    applicant_data = validate_applicant(applicant)
    agent_data = validate_agent(agent)
    validate_common(
        channel=Case.Channel.ONLINE,
        agent=agent,
        green_channel=False,
        green_channel_handler=None,
        version=version,
        delivery_method=delivery_method,
    )
    material_rows = intake_materials(snapshot(version), materials)
    now = clock.now()
    case = new_case(
        version=version,
        center=version.item.center,
        applicant=applicant_data,
        agent=agent_data,
        channel=Case.Channel.ONLINE,
        window=None,
        actor=None,
        now=now,
        status=Status.SUBMITTED,
        green_channel=False,
        green_channel_handler=None,
        delivery_method=delivery_method,
        note=note,
    )
    case.submitted_at = now
    table = calendar_table()
    case.answer_due_at = case_clock.answer_due_at(table, received_on=case_clock.local_date(now))
    work = Work(case=case, actor=None, now=now, table=table, new_case=True)
    work.want_number(NumberKind.RECEIPT, case_clock.local_date(now))
    work.materials = material_rows
    work.event(
        T.SUBMIT,
        "",
        data={
            "channel": Case.Channel.ONLINE,
            "applicant": applicant_public(case),
            "materials": [m.name for m in material_rows if m.received],
        },
    )
    persistence.write(work)
    if files:
        case_attach_online_files(case=case, files=files)
    return case


@dataclass(frozen=True)
class OnlineFileRef:
    """An applicant's upload already in storage (`name`), for the material `material_id`."""

    name: str
    original_name: str
    size: int
    content_type: str
    uploaded_at: dt.datetime
    material_id: int | None


@transaction.atomic
def case_attach_online_files(*, case: Case, files: Iterable[OnlineFileRef]) -> list[CaseFile]:
    """Attach the applicant's uploads (checked and stored by onewindow.online) to an online case,
    each to its material's row; the stored file is shared, not copied. No staff actor: the
    applicant sent them (the case's submit or resubmit event records it)."""
    if case.channel != Case.Channel.ONLINE:
        raise ValidationFailed(
            _("Only an online application takes files from the online hall."),
            details={"case": [_("Not an online application.")]},
        )
    rows = {m.material_id: m for m in CaseMaterial.objects.filter(case=case, material__isnull=False)}
    made = []
    for ref in files:
        row = CaseFile(
            case=case,
            case_material=rows.get(ref.material_id),
            original_name=ref.original_name[:255],
            size=ref.size,
            content_type=ref.content_type[:100],
            uploaded_at=ref.uploaded_at,
            uploaded_by=None,
        )
        row.file.name = ref.name
        made.append(row)
    CaseFile.objects.bulk_create(made)
    return made


def case_deem_accept_overdue(*, now: dt.datetime | None = None) -> int:
    """The 5-working-day rule (《行政许可法》第32条): every received application (and every
    online one still awaiting its pre-review: its 5 days run from the submission) whose answer
    deadline has passed is accepted, from the day it was received, as a system action.
    Safe to run twice or in two workers at once: each case is re-checked under its lock."""
    now = now or clock.now()
    done = 0
    for pk in overdue.deem_accept_candidates(now=now):
        try:
            with transaction.atomic():
                case, _steps = persistence.lock_case(pk, steps=False)
                if (
                    case.status not in (Status.SUBMITTED, Status.RECEIVED)
                    or case.answer_due_at is None
                    or case.answer_due_at >= now
                ):
                    continue
                work = Work(case=case, actor=None, now=now, table=calendar_table())
                apply(work, T.DEEM_ACCEPT, {})
                persistence.write(work)
                done += 1
        except Conflict:  # pragma: no cover - another worker got there first
            continue
    return done


def case_deem_approve_overdue_steps(*, now: dt.datetime | None = None) -> int:
    """超期默认: every active step of an item that allows deemed approval, overdue by the item's
    `deemed_approval_days` working days, passes as a system action (the decision step grants
    the case). Scans the step deadline index; safe to run twice or in two workers at once."""
    now = now or clock.now()
    done = 0
    for pk in overdue.deem_approve_candidates(now=now):
        with transaction.atomic():
            case, steps = persistence.lock_case(pk)
            if case.status not in (Status.ACCEPTED, Status.IN_PROGRESS):
                continue
            if guard(case, T.DEEM_APPROVE_STEP, steps, now) is not None:
                continue
            work = Work(case=case, actor=None, now=now, table=calendar_table(), steps=steps)
            apply(work, T.DEEM_APPROVE_STEP, {})
            persistence.write(work)
            done += 1
    return done


@transaction.atomic
def case_recompute_deadlines(
    *,
    case_ids: Iterable[int] | None = None,
    center_id: int | None = None,
    batch_size: int = deadlines.RECOMPUTE_BATCH,
) -> int:
    """Recompute due_at, legal_due_at and warn_at of open cases and their active step with the
    current calendar and yellow thresholds (after a calendar edit or a threshold change); levels
    that the moved deadlines no longer justify go back to green. Idempotent: returns the number
    of cases whose case or step row changed. Works in batches of ids, each row locked."""
    wanted = sorted(set(case_ids)) if case_ids is not None else None
    changed = deadlines.recompute(wanted, center_id=center_id, batch_size=batch_size)
    if changed:
        audit.record(
            action="case.recompute_deadlines",
            object_type="cases.case",
            after={"changed": changed, "center_id": center_id, "case_ids": len(wanted) if wanted else None},
        )
    return changed


def recompute_after_calendar_change(year: Any) -> None:
    """Hook for `onewindow.calendar.services.register_year_changed`."""
    case_recompute_deadlines()


@transaction.atomic
def case_reveal_applicant(*, case: Case | str, actor: User, reason: str) -> dict[str, str]:
    """The applicant's and agent's full ID numbers and phones, for someone who needs them; the
    viewing is written to the audit trail with the reason. It also unlocks the case's free text
    (notes, opinions, reasons) in full: everywhere else the ID numbers and phones typed into it
    are masked (`core.masking.mask_free_text`), so the entry lists "free_text" too."""
    if not has_perm(actor, "cases.view_case"):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": "cases.view_case"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why you need the full details."), details={"reason": [_("Required.")]})
    if isinstance(case, str):
        number = numbers.parse_case_number(case)
        found = (
            Case.objects.filter(number=number).first() or Case.objects.filter(receipt_number=number).first()
        )
        if found is None:
            raise NotFound(_("No such case."))
        case = found
    if not sees_case(actor, case):
        raise PermissionDenied(_("This case is outside your data scope."))
    audit.record(
        action="case.reveal_applicant",
        obj=case,
        after={
            "reason": reason[:500],
            "fields": [
                "applicant_id_number",
                "applicant_phone",
                "agent_id_number",
                "agent_phone",
                "legal_rep_id_number",
                "free_text",
            ],
        },
        actor=actor,
    )
    return {
        "applicant_id_number": case.applicant_id_number,
        "applicant_phone": case.applicant_phone,
        "agent_id_number": case.agent_id_number,
        "agent_phone": case.agent_phone,
        "legal_rep_id_number": case.legal_rep_id_number,
    }


@transaction.atomic
def case_file_add(
    *, case: Case, actor: User, file: File, case_material: CaseMaterial | None = None
) -> CaseFile:
    """Attach an uploaded file (pdf, jpg, png, ofd, doc(x), xls(x); at most 20 MB) to a case."""
    if not (has_perm(actor, T.ACCEPT_CASE) or has_perm(actor, T.HANDLE_STEP)):
        raise PermissionDenied(_("You cannot add files to cases."))
    if not sees_case(actor, case):
        raise PermissionDenied(_("This case is outside your data scope."))
    name = PurePosixPath(str(getattr(file, "name", "") or "")).name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    errors: dict[str, list[str]] = {}
    if ext not in ALLOWED_FILE_EXTENSIONS:
        errors["file"] = [_("Allowed file types: %(types)s.") % {"types": ", ".join(ALLOWED_FILE_EXTENSIONS)}]
    size = int(getattr(file, "size", 0) or 0)
    if size <= 0:
        errors.setdefault("file", []).append(_("The file is empty."))
    elif size > MAX_FILE_SIZE:
        errors.setdefault("file", []).append(_("The file is larger than 20 MB."))
    elif ext in ALLOWED_FILE_EXTENSIONS:
        declared = str(getattr(file, "content_type", "") or "")
        if not filetypes.content_matches(ext, filetypes.head(file)):
            errors.setdefault("file", []).append(
                _(
                    "The content of the file is not a %(type)s file: upload the real %(type)s, "
                    "or give the file the extension of its type."
                )
                % {"type": ext.upper()}
            )
        elif not filetypes.declared_type_matches(ext, declared):
            errors.setdefault("file", []).append(
                _("The file is declared as %(declared)s but its name says %(type)s: upload it again.")
                % {"declared": declared[:100], "type": ext.upper()}
            )
    if case_material is not None and case_material.case_id != case.pk:
        errors["case_material"] = [_("This material belongs to another case.")]
    if errors:
        raise ValidationFailed(_("Check the file."), details=errors)
    row = CaseFile(
        case=case,
        case_material=case_material,
        original_name=name[:255],
        size=size,
        content_type=str(getattr(file, "content_type", "") or "")[:100],
        uploaded_at=clock.now(),
        uploaded_by=actor,
    )
    row.file.save(name, file, save=False)
    row.save()
    audit.record(action="case.file_add", obj=case, after={"file": row.file.name, "size": size}, actor=actor)
    return row


# Imported by the interfaces from here (their own modules hold them).
__all__ = [
    "ACTION_PARAMS",
    "PUBLIC_ACTIONS",
    "OnlineFileRef",
    "Param",
    "can_handle_step",
    "case_act",
    "case_allowed_actions",
    "case_attach_online_files",
    "case_deem_accept_overdue",
    "case_deem_approve_overdue_steps",
    "case_file_add",
    "case_intake",
    "case_recompute_deadlines",
    "case_reveal_applicant",
    "case_submit_online",
]
