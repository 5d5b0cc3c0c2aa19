"""A bundle (一件事) applied for online: the applicant's draft (the situation answers, the one
form 一表制, uploads per material of the bundle's de-duplicated list), the submission into the
LEAD department's pre-review queue, the resubmission after a correction list, and the
pre-review's outcomes (`bundle_prereview`, called by `prereview.application_prereview` under the
application's lock).

No case and no bundle case exist before the pre-review: passing it calls the approvals intake
(`bundle_case_intake(action="accept")`, the reviewer as the window's actor) with the
application's answers, applicant, form and the materials uploaded (received), in the
pre-review's transaction; refusing calls the intake with `action="refuse"` (the refusal notice).
The files stay on the application (`OnlineBundleFile`): the bundle case records its materials as
a list; the staff open the files from the application, linked to the bundle case.

Which bundles may be applied for online (`online_allowed`): every item of the bundle's first
phase (all its items when it has no phases) has a published version open to online applications.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from onewindow.approvals import plan as bundle_plan
from onewindow.approvals import services as approvals
from onewindow.approvals.models import BundleCase
from onewindow.cases.applicants import applicant_errors
from onewindow.cases.versions import published_version
from onewindow.catalog.definitions import BundleDefinition, ItemDef, MaterialDef, bundle_definition
from onewindow.catalog.models import Bundle
from onewindow.catalog.situations import applicable_defs
from onewindow.core import audit, clock
from onewindow.core.errors import Conflict, NotFound, ValidationFailed
from onewindow.core.masking import mask_id_number
from onewindow.identity.sessions import Applicant
from onewindow.online import rules, selectors
from onewindow.online.models import OnlineApplication, OnlineBundleFile, PreReviewRound
from onewindow.online.services import (
    checked_upload,
    locked_application,
    require_editable,
    store_upload,
    upload_fields,
    upload_remove,
)
from onewindow.org.models import Center, User

Status = OnlineApplication.Status
Outcome = PreReviewRound.Outcome
BUNDLE_OUTCOMES = (Outcome.PASS, Outcome.RETURN, Outcome.REFUSE)
FIELD_MAX = bundle_plan.TEXT_MAX


def bundle_of(center: Center | int, code: str) -> Bundle:
    """The active bundle `code` at the center (NotFound otherwise)."""
    found = (
        Bundle.objects.select_related("lead_department")
        .filter(center=center, code=str(code or "").strip(), active=True)
        .first()
    )
    if found is None:
        raise NotFound(_("No such bundle."), code="bundle_not_found")
    return found


def first_phase_items(definition: BundleDefinition) -> list[ItemDef]:
    positions = [bi.phase.position for bi in definition.items if bi.phase is not None]
    if not positions:
        return list(definition.items)
    first = min(positions)
    return [bi for bi in definition.items if bi.phase is not None and bi.phase.position == first]


def online_allowed(bundle: Bundle) -> bool:
    """Every item of the bundle's first phase (all of them without phases) is published and open
    to online applications."""
    items = first_phase_items(bundle_definition(bundle))
    if not items:
        return False
    for bi in items:
        try:
            if not published_version(bundle.center_id, bi.code).online_allowed:
                return False
        except (NotFound, ValidationFailed):
            return False
    return True


def _check_bundle(bundle: Bundle) -> None:
    if not online_allowed(bundle):
        raise ValidationFailed(
            _("This bundle cannot be applied for online."),
            code="online_not_allowed",
            details={"bundle": [_("Apply at a window.")]},
        )


@dataclass
class Situation:
    """The items that apply to the answers, and the materials they need (the bundle's list)."""

    items: list[ItemDef]
    materials: list[MaterialDef]
    errors: dict[str, list[str]]


def situation(bundle: Bundle, answers: dict[str, Any]) -> Situation:
    """The applicable items for the answers (情形引导) and their de-duplicated materials; the
    unanswered or unknown answers as errors (the items are then those chosen so far)."""
    definition = bundle_definition(bundle)
    clean = {str(k): v for k, v in (answers or {}).items()}
    try:
        items = applicable_defs(definition, clean)
        errors: dict[str, list[str]] = {}
    except ValidationFailed as exc:
        errors = dict(exc.details or {})
        partial = {q.key: clean[q.key] for q in definition.questions if clean.get(q.key)}
        known = {q.key: {o.value for o in q.options} for q in definition.questions}
        chosen: set[int] = set()
        selectable: set[int] = set()
        for q in definition.questions:
            for o in q.options:
                selectable.update(o.item_pks)
                if partial.get(q.key) == o.value and o.value in known[q.key]:
                    chosen.update(o.item_pks)
        items = [bi for bi in definition.items if bi.pk not in selectable or bi.pk in chosen]
    codes = {bi.code for bi in items}
    materials = [m for m in definition.materials if not m.item_codes or set(m.item_codes) & codes]
    return Situation(items=items, materials=materials, errors=errors)


def clean_input(bundle: Bundle, answers: Any, form: Any) -> tuple[dict[str, str], dict[str, str], dict]:
    """The draft's answers and form (the applicant block of `rules.FORM_FIELDS` and the bundle's
    fields), checked as far as a draft can be: known keys, text, lengths, each filled field's
    type (the required ones are checked at submission, as the window does)."""
    errors: dict[str, list[str]] = {}
    definition = bundle_definition(bundle)
    if answers is None:
        answers = {}
    if form is None:
        form = {}
    clean_answers: dict[str, str] = {}
    if not isinstance(answers, dict):
        errors["answers"] = [_("Expected an object.")]
    else:
        questions = {q.key: q for q in definition.questions}
        for key, value in answers.items():
            if str(key) not in questions:
                errors[f"answers.{key}"] = [_("Unknown question.")]
            elif value in (None, ""):
                continue
            elif not isinstance(value, str) or value not in {o.value for o in questions[str(key)].options}:
                errors[f"answers.{key}"] = [_("Choose one of the answers.")]
            else:
                clean_answers[str(key)] = value
    clean_form: dict[str, str] = {}
    if not isinstance(form, dict):
        errors["form"] = [_("Expected an object.")]
        return clean_answers, clean_form, errors
    fields = {f.key: f for f in definition.fields}
    block = {k: v for k, v in form.items() if k in rules.FORM_FIELDS}
    cleaned_block, block_errors = rules.clean_form(block)
    clean_form.update(cleaned_block)
    errors.update(block_errors)
    for key, value in form.items():
        if key in rules.FORM_FIELDS:
            continue
        if key not in fields:
            errors[f"form.{key}"] = [_("Unknown field.")]
            continue
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[f"form.{key}"] = [_("Expected text.")]
            continue
        value = value.strip()
        if len(value) > FIELD_MAX:
            errors[f"form.{key}"] = [_("Too long (%(n)s characters at most).") % {"n": FIELD_MAX}]
            continue
        clean_form[key] = value
    errors.update(_filled_field_errors(bundle, clean_form))
    for key in [k for k in clean_form if errors.get(f"form.{k}")]:
        del clean_form[key]
    return clean_answers, clean_form, errors


def _filled_field_errors(bundle: Bundle, form: dict[str, str]) -> dict[str, list[str]]:
    """The window's check of the filled bundle fields (`approvals.plan.build_plan`): its
    problems with these values, not the required fields left empty (checked at submission)."""
    filled = {k: v for k, v in form.items() if k not in rules.FORM_FIELDS and v}
    try:
        bundle_plan.build_plan(bundle, answers={}, form=filled, materials=[])
    except ValidationFailed as exc:
        return {k: v for k, v in (exc.details or {}).items() if k.removeprefix("form.") in filled}
    return {}


def bundle_fields(bundle: Bundle, form: dict[str, Any]) -> dict[str, str]:
    """The bundle's own fields of the stored form (without the applicant block)."""
    keys = {f.key for f in bundle_definition(bundle).fields}
    return {k: v for k, v in form.items() if k in keys and v}


@transaction.atomic
def bundle_application_create(
    *, applicant: Applicant, center: Center, bundle_code: str, answers: Any = None, form: Any = None
) -> OnlineApplication:
    """A draft for the bundle (active, open to online applications); its pre-review belongs to
    the bundle's lead department."""
    bundle = bundle_of(center, bundle_code)
    _check_bundle(bundle)
    clean_answers, clean_form, errors = clean_input(bundle, answers, form)
    if errors:
        raise ValidationFailed(_("Check the application."), details=errors)
    now = clock.now()
    application = OnlineApplication.objects.create(
        center=center,
        bundle_code=bundle.code,
        department_id=bundle.lead_department_id,
        person=applicant.person,
        enterprise=applicant.enterprise,
        answers=clean_answers,
        form=clean_form,
        created_at=now,
        updated_at=now,
    )
    audit.record(action="online.create", obj=application, after={"bundle_code": bundle.code})
    return application


@transaction.atomic
def bundle_application_save(
    *, applicant: Applicant, pk: int, version: Any, answers: Any = None, form: Any = None
) -> OnlineApplication:
    """Save the draft's answers and form; stale version → 409. A returned application keeps its
    answers (the items were pre-reviewed): only the form changes."""
    application = locked_application(applicant, pk, version)
    require_editable(application)
    bundle = bundle_of(application.center_id, application.bundle_code)
    if application.status == Status.RETURNED:
        answers = application.answers
    clean_answers, clean_form, errors = clean_input(bundle, answers, form)
    if errors:
        raise ValidationFailed(_("Check the application."), details=errors)
    application.answers = clean_answers
    application.form = clean_form
    application.updated_at = clock.now()
    application.version = F("version") + 1
    application.save(update_fields=["answers", "form", "updated_at", "version"])
    application.refresh_from_db(fields=["version"])
    audit.record(action="online.save", obj=application, after={"fields": sorted(clean_form)})
    return application


def _material_def(bundle: Bundle, position: Any) -> MaterialDef:
    for m in bundle_definition(bundle).materials:
        if str(m.position) == str(position):
            return m
    raise ValidationFailed(
        _("Choose a material from the bundle's list."),
        details={"material": [_("Not on the bundle's list.")]},
    )


def bundle_file_add(*, applicant: Applicant, pk: int, material: Any, file: UploadedFile) -> OnlineBundleFile:
    """Store an upload for one material of the bundle's list (the rules and storage of item
    uploads: `services.checked_upload`, streamed by `services.store_upload`)."""
    name = checked_upload(file)
    with transaction.atomic():
        application = locked_application(applicant, pk, None)
        require_editable(application)
        found = _material_def(bundle_of(application.center_id, application.bundle_code), material)
        row = OnlineBundleFile(
            application=application,
            material_position=found.position,
            material_name=found.name,
            **upload_fields(file, name),
        )
        store_upload(application, row, file, name=name, material=found.name)
    return row


def bundle_file_remove(*, applicant: Applicant, pk: int, file_id: int) -> None:
    """Remove an upload not yet sent with a submission."""
    upload_remove(applicant=applicant, pk=pk, file_id=file_id, model=OnlineBundleFile)


def files_by_position(application: OnlineApplication) -> dict[int, list[OnlineBundleFile]]:
    found: dict[int, list[OnlineBundleFile]] = {}
    for f in OnlineBundleFile.objects.filter(application=application).order_by("uploaded_at", "id"):
        found.setdefault(f.material_position, []).append(f)
    return found


def _subject(application: OnlineApplication) -> tuple[dict[str, str], dict[str, str] | None]:
    return rules.applicant_data(
        Applicant(person=application.person, enterprise=application.enterprise), application.form or {}
    )


def _new_round(application: OnlineApplication, number: int, now: Any) -> None:
    due = selectors.prereview_due(application.center_id, application.bundle_code, now)
    PreReviewRound.objects.create(application=application, number=number, submitted_at=now, due_at=due)
    application.round = number
    application.prereview_due_at = due


@transaction.atomic
def bundle_application_submit(*, applicant: Applicant, pk: int, version: Any) -> OnlineApplication:
    """Submit the draft: the answers select items, the one form is complete and valid (the
    window's checks, `approvals.plan.build_plan`), every required material of the applicable
    items is uploaded, the applicant is complete → in the lead department's pre-review queue
    (round 1 and its clock). No case and no bundle case yet."""
    application = locked_application(applicant, pk, version)
    if application.status != Status.DRAFT:
        raise Conflict(
            _("Only a draft is submitted; a returned application is resubmitted."),
            code="not_a_draft",
            details={"status": application.status},
        )
    bundle = bundle_of(application.center_id, application.bundle_code)
    _check_bundle(bundle)
    errors = _completeness(bundle, application)
    if errors:
        raise ValidationFailed(_("Check the application."), code="incomplete", details=errors)
    now = clock.now()
    OnlineBundleFile.objects.filter(application=application).update(sent_round=1)
    application.status = Status.SUBMITTED
    application.submitted_at = now
    application.updated_at = now
    application.version += 1
    _new_round(application, 1, now)
    application.save()
    audit.record(action="online.submit", obj=application, after={"bundle_code": bundle.code})
    return application


def _completeness(bundle: Bundle, application: OnlineApplication) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    have = set(files_by_position(application))
    try:
        bundle_plan.build_plan(
            bundle,
            answers=application.answers or {},
            form=bundle_fields(bundle, application.form or {}),
            materials=sorted(have),
        )
    except ValidationFailed as exc:
        errors.update(exc.details or {})
    needed = situation(bundle, application.answers or {})
    if not needed.errors:
        for m in needed.materials:
            if m.requirement == "required" and m.position not in have:
                errors[f"materials.{m.position}"] = [_("Upload %(name)s.") % {"name": m.name}]
    subject, _agent = _subject(application)
    _cleaned, subject_errors = applicant_errors(subject)
    errors.update(subject_errors)
    return errors


@transaction.atomic
def bundle_application_resubmit(*, applicant: Applicant, pk: int, version: Any) -> OnlineApplication:
    """Send the corrected materials (a new file for every material on the list) and the form →
    a new round with a new pre-review clock."""
    application = locked_application(applicant, pk, version)
    if application.status != Status.RETURNED:
        raise Conflict(
            _("Only an application returned for correction is resubmitted."),
            code="not_returned",
            details={"status": application.status},
        )
    bundle = bundle_of(application.center_id, application.bundle_code)
    new = set(
        OnlineBundleFile.objects.filter(application=application, sent_round__isnull=True).values_list(
            "material_position", flat=True
        )
    )
    errors: dict[str, list[str]] = {}
    last = application.rounds.filter(outcome=Outcome.RETURN).order_by("-number").first()
    for entry in last.corrections if last is not None else []:
        if entry.get("material") not in new:
            errors[f"materials.{entry.get('material')}"] = [
                _("Upload the corrected %(name)s.") % {"name": entry.get("name")}
            ]
    if not errors:
        errors = _completeness(bundle, application)
    if errors:
        raise ValidationFailed(
            _("Upload every material on the correction list."), code="missing_materials", details=errors
        )
    number = application.round + 1
    OnlineBundleFile.objects.filter(application=application, sent_round__isnull=True).update(
        sent_round=number
    )
    now = clock.now()
    application.status = Status.SUBMITTED
    application.submitted_at = now
    application.updated_at = now
    application.version += 1
    _new_round(application, number, now)
    application.save()
    audit.record(action="online.resubmit", obj=application, after={"round": number})
    return application


def _corrections(bundle: Bundle, corrections: Any) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    if not isinstance(corrections, list | tuple) or not corrections:
        return [], {"corrections": [_("List at least one material to correct.")]}
    by_position = {m.position: m for m in bundle_definition(bundle).materials}
    items: list[dict[str, Any]] = []
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    for i, entry in enumerate(corrections):
        ref = entry.get("material") if isinstance(entry, dict) else None
        note = str(entry.get("note") or "").strip() if isinstance(entry, dict) else ""
        found = by_position.get(int(str(ref))) if str(ref).isdecimal() and len(str(ref)) < 6 else None
        if found is None or found.position in seen:
            errors[f"corrections.{i}.material"] = [_("Choose a material from the bundle's list, once.")]
            continue
        if not note or len(note) > 500:
            errors[f"corrections.{i}.note"] = [_("Say what is wrong (500 characters at most).")]
            continue
        seen.add(found.position)
        items.append({"material": found.position, "name": found.name, "note": note})
    return items, errors


def bundle_prereview(
    *, actor: User, application: OnlineApplication, outcome: str, corrections: Any, reason: str
) -> tuple[str, list[dict[str, Any]]]:
    """The outcome on a locked bundle application (see the module): sets its status and bundle
    case; returns (the application's status, the correction list)."""
    bundle = bundle_of(application.center_id, application.bundle_code)
    if outcome not in BUNDLE_OUTCOMES:
        raise ValidationFailed(
            _("Check the pre-review."),
            details={"outcome": [_("A bundle is passed, returned or refused.")]},
        )
    if outcome == Outcome.RETURN:
        items, errors = _corrections(bundle, corrections)
        if errors:
            raise ValidationFailed(_("Check the pre-review."), details=errors)
        return Status.RETURNED, items
    subject, agent = _subject(application)
    form = application.form or {}
    note = reason
    if agent is not None:
        note = _("Applied online; the agent who acted: %(name)s (%(id)s).") % {
            "name": agent["name"],
            "id": mask_id_number(agent["id_number"]),
        } + (" " + reason if reason else "")
    elif outcome == Outcome.PASS:
        note = (_("Applied online.") + " " + reason).strip()
    if outcome == Outcome.REFUSE:
        note = reason
    received = sorted(set(files_by_position(application)))
    bundle_case: BundleCase = approvals.bundle_case_intake(
        actor=actor,
        center=application.center,
        bundle_code=application.bundle_code,
        answers=application.answers or {},
        applicant=subject,
        form=bundle_fields(bundle, form),
        materials=[{"material": p, "received": True} for p in received],
        action="accept" if outcome == Outcome.PASS else "refuse",
        note=note,
        delivery_method=str(form.get("delivery_method") or "pickup"),
    )
    BundleCase.objects.filter(pk=bundle_case.pk).update(channel="online")
    application.bundle_case = bundle_case
    return (Status.ACCEPTED if outcome == Outcome.PASS else Status.REFUSED), []
