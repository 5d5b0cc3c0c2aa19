"""Writes of online applications, the applicant's side: drafts, uploads, submission and the
resubmission after a correction list. The department's pre-review is in `prereview.py`.

Every write is atomic and audited; a stale `version` is a Conflict (409); only who may act for
an application (`selectors.may_act_for`) reaches it. Uploads are streamed to storage by Django's
upload handlers and `storage.save` (never read whole into memory).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from onewindow.cases import services as case_services
from onewindow.cases import transitions as T
from onewindow.cases.models import CorrectionRequest
from onewindow.cases.versions import published_version
from onewindow.catalog.models import Material, ServiceItemVersion
from onewindow.core import audit, clock
from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.identity.sessions import Applicant
from onewindow.online import rules, selectors
from onewindow.online.models import OnlineApplication, OnlineBundleFile, OnlineFile, PreReviewRound
from onewindow.org.models import Center

Status = OnlineApplication.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)


def _stale(application: OnlineApplication, version: Any) -> Conflict:
    return Conflict(
        _("The application was changed elsewhere (version %(theirs)s, you have %(yours)s): reload it.")
        % {"theirs": application.version, "yours": version},
        code="stale_version",
        details={"version": application.version},
    )


def locked_application(applicant: Applicant, pk: int, version: Any | None) -> OnlineApplication:
    """The application locked for the write, with its version checked (when given)."""
    selectors.application_for(applicant, pk)  # NotFound for anyone who may not act for it
    locked = OnlineApplication.objects.select_for_update().get(pk=pk)  # no outer join: PostgreSQL
    if version is not None and str(version) != str(locked.version):
        raise _stale(locked, version)
    return locked


def require_editable(application: OnlineApplication) -> None:
    if application.status not in EDITABLE:
        raise Conflict(
            _("This application can no longer be changed (it is %(status)s).")
            % {"status": application.get_status_display()},
            code="not_editable",
            details={"status": application.status},
        )


def _check_item(version: ServiceItemVersion) -> None:
    if not version.online_allowed:
        raise ValidationFailed(
            _("This item cannot be applied for online."),
            code="online_not_allowed",
            details={"item_code": [_("Apply at a window.")]},
        )


@transaction.atomic
def application_create(
    *, applicant: Applicant, center: Center, item_code: str, form: Any = None
) -> OnlineApplication:
    """A draft for the item (published and open to online applications)."""
    version = published_version(center, item_code)
    _check_item(version)
    cleaned, errors = rules.clean_form(form)
    if errors:
        raise ValidationFailed(_("Check the application."), details=errors)
    now = clock.now()
    application = OnlineApplication.objects.create(
        center=center,
        item_code=version.item.code,
        person=applicant.person,
        enterprise=applicant.enterprise,
        form=cleaned,
        created_at=now,
        updated_at=now,
    )
    audit.record(action="online.create", obj=application, after={"item_code": application.item_code})
    return application


@transaction.atomic
def application_save(*, applicant: Applicant, pk: int, version: Any, form: Any) -> OnlineApplication:
    """Save the draft's form (a returned application's form too); stale version → 409."""
    application = locked_application(applicant, pk, version)
    require_editable(application)
    cleaned, errors = rules.clean_form(form)
    if errors:
        raise ValidationFailed(_("Check the application."), details=errors)
    application.form = cleaned
    application.updated_at = clock.now()
    application.version = F("version") + 1
    application.save(update_fields=["form", "updated_at", "version"])
    application.refresh_from_db(fields=["version"])
    audit.record(action="online.save", obj=application, after={"fields": sorted(cleaned)})
    return application


@transaction.atomic
def application_delete(*, applicant: Applicant, pk: int, version: Any | None = None) -> None:
    """Delete a draft and its uploads (stored files removed after the commit)."""
    application = locked_application(applicant, pk, version)
    if application.status != Status.DRAFT:
        raise Conflict(
            _("Only a draft can be deleted; withdraw a submitted application instead."),
            code="not_a_draft",
            details={"status": application.status},
        )
    names = list(OnlineFile.objects.filter(application=application).values_list("file", flat=True))
    names += list(OnlineBundleFile.objects.filter(application=application).values_list("file", flat=True))
    audit.record(action="online.delete", obj=application, after={"files": len(names)})
    application.delete()
    transaction.on_commit(lambda: remove_stored(names))


def remove_stored(names: list[str]) -> None:
    storage = OnlineFile._meta.get_field("file").storage  # type: ignore[attr-defined]
    for name in names:
        storage.delete(name)


def _material(version: ServiceItemVersion, material_id: Any) -> Material:
    for m in selectors.materials(version):
        if str(m.pk) == str(material_id):
            return m
    raise ValidationFailed(
        _("Choose a material from the item's list."), details={"material": [_("Not on the item's list.")]}
    )


def checked_upload(file: UploadedFile) -> str:
    """The upload's name once its type, size and first bytes pass (`rules.upload_errors`):
    PDF, JPG, PNG or OFD, at most ONLINE_UPLOAD_MAX_MB; ValidationFailed `bad_file` otherwise."""
    name = str(file.name or "")
    errors = rules.upload_errors(name, int(file.size or 0), str(file.content_type or ""), file)
    if errors:
        raise ValidationFailed(_("Check the file."), code="bad_file", details={"file": errors})
    return name


def upload_fields(file: UploadedFile, name: str) -> dict[str, Any]:
    """What every stored upload records of the file (an item's or a bundle's)."""
    return {
        "original_name": name[:255],
        "size": int(file.size or 0),
        "content_type": str(file.content_type or "")[:100],
        "uploaded_at": clock.now(),
    }


def store_upload(
    application: OnlineApplication,
    row: OnlineFile | OnlineBundleFile,
    file: UploadedFile,
    *,
    name: str,
    material: str,
) -> None:
    """Stream `file` to storage (storage.save reads the upload's chunks), save `row`, move the
    application's version and audit; the stored file goes again if the row cannot be saved.
    Inside the caller's transaction, with the application locked."""
    row.file.save(name, file, save=False)
    try:
        row.save()
        OnlineApplication.objects.filter(pk=application.pk).update(
            updated_at=row.uploaded_at, version=F("version") + 1
        )
        audit.record(
            action="online.file_add",
            obj=application,
            after={"material": material, "size": row.size, "file": row.file.name},
        )
    except Exception:
        remove_stored([row.file.name])
        raise


def application_file_add(
    *, applicant: Applicant, pk: int, material_id: Any, file: UploadedFile
) -> OnlineFile:
    """Store an upload for one of the item's materials: PDF, JPG, PNG or OFD, at most
    ONLINE_UPLOAD_MAX_MB, its content checked by its first bytes. Streamed to storage in chunks."""
    name = checked_upload(file)
    with transaction.atomic():
        application = locked_application(applicant, pk, None)
        require_editable(application)
        material = _material(selectors.item_version(application), material_id)
        row = OnlineFile(application=application, material=material, **upload_fields(file, name))
        store_upload(application, row, file, name=name, material=material.name)
    return row


@transaction.atomic
def upload_remove(
    *, applicant: Applicant, pk: int, file_id: int, model: type[OnlineFile] | type[OnlineBundleFile]
) -> None:
    """Remove an upload (of an item's or a bundle's application) not yet sent with a submission."""
    application = locked_application(applicant, pk, None)
    require_editable(application)
    row = model.objects.filter(application=application, pk=file_id, sent_round__isnull=True).first()
    if row is None:
        raise ValidationFailed(
            _("This file cannot be removed: it was already sent."), details={"file": [_("Already sent.")]}
        )
    name = row.file.name
    row.delete()
    OnlineApplication.objects.filter(pk=application.pk).update(
        updated_at=clock.now(), version=F("version") + 1
    )
    audit.record(action="online.file_remove", obj=application, after={"file": name})
    transaction.on_commit(lambda: remove_stored([name]))


def application_file_remove(*, applicant: Applicant, pk: int, file_id: int) -> None:
    """Remove an upload not yet sent with a submission."""
    upload_remove(applicant=applicant, pk=pk, file_id=file_id, model=OnlineFile)


def _refs(rows: list[OnlineFile], version: ServiceItemVersion) -> list[case_services.OnlineFileRef]:
    by_name = {m.name: m.pk for m in selectors.materials(version)}
    ids = {m.pk for m in selectors.materials(version)}
    return [
        case_services.OnlineFileRef(
            name=r.file.name,
            original_name=r.original_name,
            size=r.size,
            content_type=r.content_type,
            uploaded_at=r.uploaded_at,
            material_id=r.material_id if r.material_id in ids else by_name.get(r.material.name),
        )
        for r in rows
    ]


def _new_round(application: OnlineApplication, number: int) -> None:
    now = application.submitted_at or clock.now()
    due = selectors.prereview_due(application.center_id, application.item_code, now)
    PreReviewRound.objects.create(application=application, number=number, submitted_at=now, due_at=due)
    application.round = number
    application.prereview_due_at = due


@transaction.atomic
def application_submit(*, applicant: Applicant, pk: int, version: Any) -> OnlineApplication:
    """Submit a draft: every required material uploaded or shared (资料共享) → the case is
    created (`case_submit_online`, a receipt number, the 5-day answer deadline) with the files
    attached, in this transaction; the pre-review clock of round 1 starts."""
    application = locked_application(applicant, pk, version)
    if application.status != Status.DRAFT:
        raise Conflict(
            _("Only a draft is submitted; a returned application is resubmitted."),
            code="not_a_draft",
            details={"status": application.status},
        )
    item = published_version(application.center, application.item_code)
    _check_item(item)
    files = list(OnlineFile.objects.filter(application=application).select_related("material"))
    have_names = {f.material.name for f in files}
    shared = selectors.shared_materials(
        center_id=application.center_id, version=item, id_number=selectors.applicant_id_number(applicant)
    )
    errors: dict[str, list[str]] = {}
    entries: list[dict[str, Any]] = []
    for m in selectors.materials(item):
        source = shared.get(m.pk)
        if source is not None:
            note = _("Shared: provided by the result of case %(number)s.") % {"number": source.case_number}
            entries.append({"material": m.pk, "received": True, "form": "electronic", "note": note})
        elif m.name in have_names:
            entries.append({"material": m.pk, "received": True, "form": "electronic"})
        elif m.requirement == Material.Requirement.REQUIRED:
            errors[f"materials.{m.pk}"] = [_("Upload %(name)s.") % {"name": m.name}]
    form = application.form or {}
    subject, agent = rules.applicant_data(applicant, form)
    if errors:
        raise ValidationFailed(
            _("Some required materials are missing."), code="missing_materials", details=errors
        )
    case = case_services.case_submit_online(
        center=application.center,
        item_code=application.item_code,
        applicant=subject,
        agent=agent,
        materials=entries,
        delivery_method=str(form.get("delivery_method") or "pickup"),
        note=str(form.get("note") or ""),
        files=_refs(files, item),
    )
    now = case.submitted_at or clock.now()
    OnlineFile.objects.filter(application=application).update(sent_round=1)
    application.case = case
    application.shared = {str(pk): source.case_number for pk, source in shared.items()}
    application.status = Status.SUBMITTED
    application.submitted_at = now
    application.updated_at = now
    application.version += 1
    _new_round(application, 1)
    application.save()
    audit.record(
        action="online.submit",
        obj=application,
        after={"receipt_number": case.receipt_number, "shared": [s.case_number for s in shared.values()]},
    )
    return application


def open_corrections(application: OnlineApplication) -> list[dict[str, Any]]:
    """The correction list of the last return (material id, name, note)."""
    last = application.rounds.filter(outcome=PreReviewRound.Outcome.RETURN).order_by("-number").first()
    return list(last.corrections) if last is not None else []


@transaction.atomic
def application_resubmit(*, applicant: Applicant, pk: int, version: Any) -> OnlineApplication:
    """Send the corrected materials: a new file for every material on the correction list →
    the case is submitted again (`resubmit_online`) with the new files, a new round and a new
    pre-review clock."""
    application = locked_application(applicant, pk, version)
    if application.status != Status.RETURNED or application.case is None:
        raise Conflict(
            _("Only an application returned for correction is resubmitted."),
            code="not_returned",
            details={"status": application.status},
        )
    case = application.case
    new_files = list(
        OnlineFile.objects.filter(application=application, sent_round__isnull=True).select_related("material")
    )
    new_names = {f.material.name for f in new_files}
    errors: dict[str, list[str]] = {}
    for item in open_corrections(application):
        if item.get("name") not in new_names:
            errors[f"materials.{item.get('material')}"] = [
                _("Upload the corrected %(name)s.") % {"name": item.get("name")}
            ]
    if errors:
        raise ValidationFailed(
            _("Upload every material on the correction list."), code="missing_materials", details=errors
        )
    item_version = case.item_version
    refs = _refs(new_files, item_version)
    case = case_services.case_act(
        case=case,
        action=T.RESUBMIT_ONLINE,
        version=case.version,
        actor=None,
        materials=sorted({r.material_id for r in refs if r.material_id}),
    )
    case_services.case_attach_online_files(case=case, files=refs)
    number = application.round + 1
    OnlineFile.objects.filter(pk__in=[f.pk for f in new_files]).update(sent_round=number)
    now = case.submitted_at or clock.now()
    application.status = Status.SUBMITTED
    application.submitted_at = now
    application.updated_at = now
    application.version += 1
    _new_round(application, number)
    application.save()
    audit.record(action="online.resubmit", obj=application, after={"round": number})
    return application


def correction_requests(application: OnlineApplication) -> list[CorrectionRequest]:
    if application.case_id is None:
        return []
    return list(CorrectionRequest.objects.filter(case_id=application.case_id).order_by("issued_at"))
