"""What the applicant's page (and the public API) shows of an application: the item's materials
with their uploads and the shared ones, the rounds with their correction lists, and what to do
next. Read only."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.cases.models import Notice
from onewindow.catalog.models import Material
from onewindow.online import selectors
from onewindow.online.models import OnlineApplication, OnlineFile, PreReviewRound

Status = OnlineApplication.Status


@dataclass(frozen=True)
class MaterialView:
    material: Material
    files: list[OnlineFile]
    shared: selectors.SharedSource | None
    to_correct: str  # the note of the last correction list, "" when not on it

    @property
    def required(self) -> bool:
        return self.material.requirement == Material.Requirement.REQUIRED


@dataclass(frozen=True)
class ApplicationView:
    application: OnlineApplication
    item_name: str
    department: str
    materials: list[MaterialView]
    rounds: list[PreReviewRound]
    next_step: str
    acceptance_notice: Notice | None


def _id_number(application: OnlineApplication) -> str:
    if application.enterprise is not None:
        return application.enterprise.uscc
    return application.person.id_number


def _when(moment: object) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)  # type: ignore[arg-type]
    return f"{local.year}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def next_step(application: OnlineApplication) -> str:
    status = application.status
    case = application.case
    if status == Status.DRAFT:
        return _("Fill in the form, upload every required material, then submit.")
    if status == Status.SUBMITTED:
        return _("The department is pre-reviewing your application (by %(due)s); you will get an SMS.") % {
            "due": _when(application.prereview_due_at)
        }
    if status == Status.RETURNED:
        return _(
            "Replace the files of the materials listed for correction (everything to correct is listed "
            "at once), then resubmit."
        )
    if status == Status.PASSED_ORIGINALS:
        place = application.center.name
        return _(
            "Pre-review passed: bring the originals of the materials and your ID to %(place)s once; "
            "the application is accepted on that visit."
        ) % {"place": place}
    if status == Status.ACCEPTED:
        return _("Accepted: your case number is %(number)s.") % {"number": case.number if case else ""}
    if status == Status.REFUSED:
        return _(
            "Not accepted: see the reason below. You may apply for administrative review within 60 days "
            "or bring an administrative lawsuit within 6 months."
        )
    return _("Withdrawn.")


def application_view(application: OnlineApplication) -> ApplicationView:
    version = selectors.item_version(application)
    files = selectors.files_by_material(application)
    shared = (
        selectors.shared_materials(
            center_id=application.center_id, version=version, id_number=_id_number(application)
        )
        if application.status == Status.DRAFT
        else {}
    )
    rounds = list(PreReviewRound.objects.filter(application=application).order_by("number"))
    corrections: dict[int, str] = {}
    if application.status == Status.RETURNED:
        last = next((r for r in reversed(rounds) if r.outcome == PreReviewRound.Outcome.RETURN), None)
        for item in last.corrections if last else []:
            corrections[int(item.get("material") or 0)] = str(item.get("note") or "")
    if application.status != Status.DRAFT:
        for key, number in (application.shared or {}).items():
            shared[int(key)] = selectors.SharedSource(int(key), str(number), "")
    by_name = {m.name: m.pk for m in selectors.materials(version)}
    merged: dict[int, list[OnlineFile]] = {}
    for material_id, rows in files.items():
        for row in rows:
            key = (
                material_id
                if material_id in by_name.values()
                else by_name.get(row.material.name, material_id)
            )
            merged.setdefault(key, []).append(row)
    case = application.case
    notice = None
    if case is not None and case.number:
        notice = Notice.objects.filter(case=case, kind=Notice.Kind.ACCEPTANCE).order_by("-issued_at").first()
    return ApplicationView(
        application=application,
        item_name=version.name,
        department=version.department.name,
        materials=[
            MaterialView(m, merged.get(m.pk, []), shared.get(m.pk), corrections.get(m.pk, ""))
            for m in selectors.materials(version)
        ],
        rounds=rounds,
        next_step=next_step(application),
        acceptance_notice=notice,
    )
