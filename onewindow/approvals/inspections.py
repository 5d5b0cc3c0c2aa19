"""Joint inspection and joint acceptance (联合踏勘 / 联合验收) of a bundle case: the services and
selectors.

* `joint_inspection_schedule`: one appointment (kind, date and time, place) shared by two or
  more open sub-cases of the bundle, of at least two departments; for each, whether its item
  counts the inspection as a special procedure (行政许可法 第45条: the clock then pauses from the
  inspection to its recording).
* `joint_inspection_record`: each department's attendance and own conclusion, the checklist,
  the overall conclusion (pass only when every department attended and passed); recorded in
  the history of each sub-case still running (the system action `record_joint_inspection`).
* `joint_inspection_cancel`: a scheduled inspection that will not take place.
* `joint_inspection_photo_add`: a photo of a checklist point, kept as a file of a sub-case.

Who: the lead department's chief representative (`cases.approve_extension` in the lead
department) or a handler (`cases.handle_step`) of a department taking part. Record and cancel
take the inspection's `version` (stale → Conflict). Lock order: the sub-cases, the bundle case,
the inspection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.approvals import services as bundle_services
from onewindow.approvals.inspection_models import (
    Conclusion,
    JointInspection,
    JointInspectionCheck,
    JointInspectionParticipant,
    JointInspectionPhoto,
)
from onewindow.approvals.models import BundleCase, BundleSubCase
from onewindow.cases import services as case_services
from onewindow.cases import transitions as case_transitions
from onewindow.cases.facts import Status
from onewindow.cases.models import CaseEvent, CaseFile
from onewindow.cases.permissions import Actor, has_perm, sees_case
from onewindow.core import clock
from onewindow.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed

HANDLE_STEP = "cases.handle_step"
CHIEF = "cases.approve_extension"
TEXT_MAX = 2000
MAX_CHECKS = 100
# The sub-case statuses in which it can take part (the running ones of the cases table).
RUNNING: frozenset[str] = frozenset(
    {Status.ACCEPTED, Status.IN_PROGRESS, Status.SUSPENDED, Status.CORRECTION_IN_PROGRESS}
)
ABSENT = "absent"

Errors = dict[str, list[str]]


# --- who ---------------------------------------------------------------------------------------


def _may(actor: Actor, bundle_case: BundleCase, department_ids: Iterable[int]) -> str | None:
    """Why `actor` may not schedule, record or cancel an inspection of these departments."""
    if actor is None:
        return _("This action needs a staff member.")
    if actor.center_id != bundle_case.center_id:
        return _("This bundle case belongs to another center.")
    if not has_perm(actor, HANDLE_STEP):
        return _("You need the permission %(perm)s.") % {"perm": HANDLE_STEP}
    if actor.department_id == bundle_case.lead_department_id and has_perm(actor, CHIEF):
        return None
    if actor.department_id is not None and actor.department_id in set(department_ids):
        return None
    return _(
        "A joint inspection is arranged by the lead department's chief representative "
        "or a handler of a department taking part."
    )


def may_arrange(actor: Actor, bundle_case: BundleCase) -> bool:
    """Whether the staff pages offer `actor` to schedule an inspection of this bundle."""
    departments = bundle_case.sub_cases.filter(case__status__in=RUNNING).values_list(
        "department_id", flat=True
    )
    return _may(actor, bundle_case, departments) is None


def may_record(actor: Actor, inspection: JointInspection) -> bool:
    departments = inspection.participants.values_list("department_id", flat=True)
    return _may(actor, inspection.bundle_case, departments) is None


# --- cleaning ------------------------------------------------------------------------------------


def _text(value: Any, name: str, errors: Errors, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        errors.setdefault(name, []).append(_("This field is required."))
    elif len(text) > limit:
        errors.setdefault(name, []).append(_("At most %(n)s characters.") % {"n": limit})
    return text


def _moment(value: Any, errors: Errors) -> dt.datetime | None:
    if isinstance(value, str) and value.strip():
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.datetime):
        errors["at"] = [_("Enter the date and time of the inspection.")]
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _sub_cases(bundle_case: BundleCase, refs: Any, name: str, errors: Errors) -> list[BundleSubCase]:
    """The sub-cases named by `refs` (ids or item codes), each an open sub-case of this bundle."""
    if not isinstance(refs, list | tuple):
        errors[name] = [_("Expected a list.")]
        return []
    found: list[BundleSubCase] = []
    rows = list(bundle_case.sub_cases.select_related("case", "department"))
    for ref in refs:
        text = str(ref).strip()
        sub = next((s for s in rows if str(s.pk) == text or s.item_code == text), None)
        if sub is None:
            errors.setdefault(name, []).append(
                _("%(ref)s is not a sub-case of this bundle.") % {"ref": text[:40]}
            )
        elif sub.case is None or sub.case.status not in RUNNING:
            errors.setdefault(name, []).append(
                _("The sub-case of %(item)s is not open.") % {"item": sub.item_name}
            )
        elif sub not in found:
            found.append(sub)
    return found


# --- schedule ------------------------------------------------------------------------------------


@transaction.atomic
def joint_inspection_schedule(
    *,
    bundle_case: BundleCase | int | str,
    kind: str,
    at: dt.datetime | str,
    place: str,
    sub_cases: list[Any],
    actor: Actor,
    pausing_sub_cases: list[Any] | None = None,
    note: str = "",
) -> JointInspection:
    """Schedule a joint inspection (kind inspection | acceptance) of `sub_cases` (ids or item
    codes of open sub-cases of this bundle, two departments at least). `pausing_sub_cases`: those
    whose item counts the inspection as a special procedure (their clock pauses)."""
    locked = bundle_services.lock(bundle_case)
    errors: Errors = {}
    if locked.status not in (BundleCase.Status.IN_PROGRESS, BundleCase.Status.CORRECTION_IN_PROGRESS):
        errors["bundle_case"] = [_("The bundle case is not in progress.")]
    if kind not in JointInspection.Kind.values:
        errors["kind"] = [_("Choose a joint site inspection or a joint acceptance.")]
    moment = _moment(at, errors)
    if moment is not None and locked.accepted_at is not None and moment < locked.accepted_at:
        errors["at"] = [_("The inspection cannot be before the bundle was accepted.")]
    place = _text(place, "place", errors, required=True, limit=200)
    note = _text(note, "note", errors)
    chosen = _sub_cases(locked, sub_cases, "sub_cases", errors)
    if "sub_cases" not in errors and len({s.department_id for s in chosen}) < 2:
        errors["sub_cases"] = [_("A joint inspection needs at least two departments.")]
    pausing = _sub_cases(locked, pausing_sub_cases or [], "pausing_sub_cases", errors)
    if any(s not in chosen for s in pausing):
        errors.setdefault("pausing_sub_cases", []).append(
            _("Only a sub-case taking part can pause its clock.")
        )
    why = _may(actor, locked, [s.department_id for s in chosen])
    if why is not None:
        raise PermissionDenied(why)
    if errors or moment is None:
        raise ValidationFailed(_("Check the inspection."), details=errors)
    assert actor is not None
    now = clock.now()
    inspection = JointInspection.objects.create(
        bundle_case=locked,
        kind=kind,
        at=moment,
        place=place,
        note=note,
        scheduled_at=now,
        scheduled_by=actor,
    )
    JointInspectionParticipant.objects.bulk_create(
        JointInspectionParticipant(
            inspection=inspection,
            sub_case=sub,
            department_id=sub.department_id,
            position=i,
            pauses_clock=sub in pausing,
        )
        for i, sub in enumerate(chosen, start=1)
    )
    return inspection


# --- record and cancel -------------------------------------------------------------------------


def _lock(inspection: JointInspection | int, version: int | None) -> JointInspection:
    pk = inspection.pk if isinstance(inspection, JointInspection) else inspection
    bundle_case_id = JointInspection.objects.filter(pk=pk).values_list("bundle_case_id", flat=True).first()
    if bundle_case_id is None:
        raise NotFound(_("No such joint inspection."))
    bundle_services.lock(bundle_case_id)
    locked = JointInspection.objects.select_for_update().select_related("bundle_case").get(pk=pk)
    if version is None or int(version) != locked.version:
        raise Conflict(
            _(
                "The inspection was changed by someone else (version %(theirs)s, you have %(yours)s); "
                "reload it and try again."
            )
            % {"theirs": locked.version, "yours": version},
            details={"version": locked.version},
        )
    if locked.status != JointInspection.Status.SCHEDULED:
        raise InvalidTransition(
            _("The inspection is %(status)s.") % {"status": locked.get_status_display()},
            details={"status": locked.status, "allowed_actions": []},
        )
    return locked


def _clean_departments(
    participants: list[JointInspectionParticipant], given: Any, errors: Errors
) -> dict[int, tuple[bool, str, str]]:
    """{participant id: (attended, conclusion, comment)} from `given`, a list of
    {"sub_case": id or item code, "attended": bool, "conclusion": str, "comment": str}."""
    if not isinstance(given, list | tuple):
        errors["departments"] = [_("Expected a list.")]
        return {}
    by_ref = {}
    for entry in given:
        if not isinstance(entry, dict):
            errors["departments"] = [_("Expected a list.")]
            return {}
        by_ref[str(entry.get("sub_case", "")).strip()] = entry
    result: dict[int, tuple[bool, str, str]] = {}
    for p in participants:
        key = f"departments.{p.position}"
        entry = by_ref.pop(str(p.sub_case_id), None) or by_ref.pop(p.sub_case.item_code, None)
        if entry is None:
            errors[key] = [
                _("Record the attendance and conclusion of %(dept)s.") % {"dept": p.department.name}
            ]
            continue
        attended = entry.get("attended")
        if isinstance(attended, str):
            attended = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}.get(
                attended.strip().lower()
            )
        if not isinstance(attended, bool):
            errors[f"{key}.attended"] = [_("Say whether the department attended.")]
            continue
        conclusion = str(entry.get("conclusion") or "").strip()
        if attended and conclusion not in Conclusion.values:
            errors[f"{key}.conclusion"] = [_("Choose pass, pass with conditions or fail.")]
        if not attended and conclusion:
            errors[f"{key}.conclusion"] = [_("A department that did not attend gives no conclusion.")]
        comment = _text(entry.get("comment"), f"{key}.comment", errors)
        if attended and conclusion != Conclusion.PASS and not comment:
            errors.setdefault(f"{key}.comment", []).append(_("Say why (the conditions or the failures)."))
        result[p.pk] = (attended, conclusion, comment)
    if by_ref:
        errors["departments"] = [_("Only the departments taking part are recorded.")]
    return result


def _clean_checklist(given: Any, errors: Errors) -> list[JointInspectionCheck]:
    if not isinstance(given, list | tuple) or not given:
        errors["checklist"] = [_("List at least one check point.")]
        return []
    if len(given) > MAX_CHECKS:
        errors["checklist"] = [_("At most %(n)s check points.") % {"n": MAX_CHECKS}]
        return []
    rows = []
    for i, entry in enumerate(given, start=1):
        if not isinstance(entry, dict):
            errors[f"checklist.{i}"] = [_("Expected a check point.")]
            continue
        key = f"checklist.{i}"
        result = str(entry.get("result") or "").strip()
        if result not in JointInspectionCheck.Result.values:
            errors[f"{key}.result"] = [_("Choose pass, fail or not applicable.")]
        rows.append(
            JointInspectionCheck(
                position=i,
                point=_text(entry.get("point"), f"{key}.point", errors, required=True, limit=200),
                clause=_text(entry.get("clause"), f"{key}.clause", errors, limit=200),
                result=result,
                comment=_text(entry.get("comment"), f"{key}.comment", errors),
            )
        )
    return rows


def overall_allowed(conclusions: Iterable[tuple[bool, str]]) -> list[str]:
    """The overall conclusions the departments' own allow: pass only when every one attended
    and passed; pass with conditions when every one attended and none failed; fail always."""
    items = list(conclusions)
    allowed = [Conclusion.FAIL.value]
    if items and all(
        attended and c in (Conclusion.PASS, Conclusion.PASS_WITH_CONDITIONS) for attended, c in items
    ):
        allowed.insert(0, Conclusion.PASS_WITH_CONDITIONS.value)
        if all(c == Conclusion.PASS for _attended, c in items):
            allowed.insert(0, Conclusion.PASS.value)
    return allowed


@transaction.atomic
def joint_inspection_record(
    *,
    inspection: JointInspection | int,
    departments: list[Any],
    checklist: list[Any],
    overall: str,
    actor: Actor,
    version: int,
    overall_comment: str = "",
) -> JointInspection:
    """Record the inspection held: `departments` [{"sub_case", "attended", "conclusion",
    "comment"}] (every department taking part), `checklist` [{"point", "clause", "result":
    pass|fail|na, "comment"}], `overall` (pass | pass_with_conditions | fail). Written in the
    history of each sub-case still running; the clock of a pausing one pauses from the
    inspection's time to now."""
    locked = _lock(inspection, version)
    participants = list(locked.participants.select_related("sub_case__case", "department"))
    why = _may(actor, locked.bundle_case, [p.department_id for p in participants])
    if why is not None:
        raise PermissionDenied(why)
    now = clock.now()
    errors: Errors = {}
    if now < locked.at:
        errors["at"] = [_("The inspection has not taken place yet.")]
    cleaned = _clean_departments(participants, departments, errors)
    checks = _clean_checklist(checklist, errors)
    overall = str(overall or "").strip()
    overall_comment = _text(overall_comment, "overall_comment", errors)
    if overall not in Conclusion.values:
        errors["overall"] = [_("Choose pass, pass with conditions or fail.")]
    elif len(cleaned) == len(participants) and overall not in overall_allowed(
        (a, c) for a, c, _comment in cleaned.values()
    ):
        errors["overall"] = [
            _("The overall conclusion is pass only when every department attended and passed.")
        ]
    if errors:
        raise ValidationFailed(_("Check the inspection record."), details=errors)
    assert actor is not None
    for p in participants:
        p.attended, p.conclusion, p.comment = cleaned[p.pk]
    for check in checks:
        check.inspection = locked
    JointInspectionCheck.objects.bulk_create(checks)
    locked.status = JointInspection.Status.RECORDED
    locked.overall, locked.overall_comment = overall, overall_comment
    locked.recorded_at, locked.recorded_by = now, actor
    locked.version += 1
    locked.save(
        update_fields=["status", "overall", "overall_comment", "recorded_at", "recorded_by", "version"]
    )
    local_at = timezone.localtime(locked.at)
    for p in participants:
        case = p.sub_case.case
        if case is not None:
            case.refresh_from_db(fields=["status", "version"])
        if case is None or case.status not in RUNNING:
            p.save(update_fields=["attended", "conclusion", "comment"])
            continue
        params: dict[str, Any] = {
            "inspection_id": locked.pk,
            "kind": locked.kind,
            "date": local_at.date().isoformat(),
            "place": locked.place,
            "conclusion": p.conclusion if p.attended else ABSENT,
            "comment": p.comment,
            "overall": overall,
        }
        if p.pauses_clock:
            params["pause_from"] = locked.at.isoformat()
        case_services.case_act(
            case=case.pk,
            action=case_transitions.RECORD_JOINT_INSPECTION,
            version=case.version,
            actor=None,
            **params,
        )
        event = (
            CaseEvent.objects.filter(case_id=case.pk, action=case_transitions.RECORD_JOINT_INSPECTION)
            .order_by("-seq")
            .first()
        )
        p.paused_working_days = int((event.data if event else {}).get("paused_working_days") or 0)
        p.save(update_fields=["attended", "conclusion", "comment", "paused_working_days"])
    return locked


@transaction.atomic
def joint_inspection_cancel(
    *, inspection: JointInspection | int, reason: str, actor: Actor, version: int
) -> JointInspection:
    """Cancel a scheduled inspection (it will not take place); the reason is required."""
    locked = _lock(inspection, version)
    why = _may(actor, locked.bundle_case, locked.participants.values_list("department_id", flat=True))
    if why is not None:
        raise PermissionDenied(why)
    errors: Errors = {}
    reason = _text(reason, "reason", errors, required=True)
    if errors:
        raise ValidationFailed(_("Check the fields."), details=errors)
    locked.status = JointInspection.Status.CANCELLED
    locked.cancel_reason = reason
    locked.cancelled_at, locked.cancelled_by = clock.now(), actor
    locked.version += 1
    locked.save(update_fields=["status", "cancel_reason", "cancelled_at", "cancelled_by", "version"])
    return locked


@transaction.atomic
def joint_inspection_photo_add(
    *, inspection: JointInspection | int, position: int, file: File, actor: Actor
) -> JointInspectionPhoto:
    """A photo of the recorded checklist point `position`: a file of the first sub-case taking
    part that `actor` sees (the cases' file storage and type checks)."""
    pk = inspection.pk if isinstance(inspection, JointInspection) else inspection
    found = JointInspection.objects.select_related("bundle_case").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such joint inspection."))
    check = found.checks.filter(position=position).first()
    if check is None:
        raise ValidationFailed(_("Check the file."), details={"position": [_("No such check point.")]})
    participants = list(found.participants.select_related("sub_case__case").order_by("position"))
    why = _may(actor, found.bundle_case, [p.department_id for p in participants])
    if why is not None:
        raise PermissionDenied(why)
    case = next(
        (
            p.sub_case.case
            for p in participants
            if p.sub_case.case is not None and sees_case(actor, p.sub_case.case)
        ),
        None,
    )
    if case is None:
        raise PermissionDenied(_("This case is outside your data scope."))
    assert actor is not None
    case_file = case_services.case_file_add(case=case, actor=actor, file=file)
    return JointInspectionPhoto.objects.create(check_point=check, case_file=case_file)


# --- reading -----------------------------------------------------------------------------------


def inspections_of(bundle_case: BundleCase) -> QuerySet[JointInspection]:
    return bundle_case.inspections.prefetch_related("participants__department").order_by("at", "id")


def inspection_of(bundle_case: BundleCase, pk: int) -> JointInspection | None:
    return (
        JointInspection.objects.select_related("bundle_case", "scheduled_by", "recorded_by", "cancelled_by")
        .filter(bundle_case=bundle_case, pk=pk)
        .first()
    )


def participants(inspection: JointInspection) -> QuerySet[JointInspectionParticipant]:
    return inspection.participants.select_related("sub_case__case", "department").order_by("position")


def checks(inspection: JointInspection) -> QuerySet[JointInspectionCheck]:
    return inspection.checks.prefetch_related("photos__case_file").order_by("position")


def open_sub_cases(bundle_case: BundleCase) -> QuerySet[BundleSubCase]:
    """The sub-cases that can take part in an inspection now."""
    return (
        bundle_case.sub_cases.select_related("case", "department")
        .filter(case__status__in=RUNNING)
        .order_by("position")
    )


def photo_file(inspection: JointInspection, photo_id: int) -> CaseFile | None:
    photo = (
        JointInspectionPhoto.objects.select_related("case_file")
        .filter(pk=photo_id, check_point__inspection=inspection)
        .first()
    )
    return photo.case_file if photo else None


__all__ = [
    "joint_inspection_cancel",
    "joint_inspection_photo_add",
    "joint_inspection_record",
    "joint_inspection_schedule",
]
