"""Demo online applications (网上申报): the demo citizen 13900000001 with a draft, one application awaiting
pre-review and one returned with a correction list, on the first promised item that may be
applied for online. Idempotent: nothing is added once the demo citizen has applications.
Called by the demo loader as `load(center)`."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F

from onewindow.cases.applicants import resident_id_check
from onewindow.catalog.models import Material, ServiceItemVersion
from onewindow.core import clock
from onewindow.demo.online_identity import CITIZEN_PHONE
from onewindow.identity.models import Person
from onewindow.identity.sessions import Applicant
from onewindow.online import prereview, services
from onewindow.online.models import OnlineApplication
from onewindow.org.models import Center, User

# the demo citizen of onewindow.demo.online_identity (张明, verified at a window), whose
# "my cases" then shows these applications
PHONE = CITIZEN_PHONE
ID_BODY = "11010119850312301"
PDF = b"%PDF-1.4\n% demo scan\n%%EOF\n"


def _item(center: Center) -> ServiceItemVersion | None:
    return (
        ServiceItemVersion.objects.filter(
            item__center=center,
            status=ServiceItemVersion.Status.PUBLISHED,
            online_allowed=True,
            handling_type=ServiceItemVersion.HandlingType.PROMISED,
            item__published_version=F("pk"),
        )
        .order_by("item__code")
        .first()
    )


def _upload_required(
    applicant: Applicant, application: OnlineApplication, version: ServiceItemVersion
) -> None:
    for m in Material.objects.filter(version=version, requirement=Material.Requirement.REQUIRED):
        services.application_file_add(
            applicant=applicant,
            pk=application.pk,
            material_id=m.pk,
            file=SimpleUploadedFile(f"{m.name}.pdf", PDF, content_type="application/pdf"),
        )


def load(center: Center) -> dict[str, int]:
    version = _item(center)
    if version is None:
        return {"online_applications": 0}
    person, _created = Person.objects.get_or_create(
        phone=PHONE,
        defaults={
            "name": "张明",
            "id_number": ID_BODY + resident_id_check(ID_BODY),
            "created_at": clock.now(),
        },
    )
    if OnlineApplication.objects.filter(person=person).exists():
        return {"online_applications": OnlineApplication.objects.filter(person=person).count()}
    applicant = Applicant(person=person)
    code = version.item.code
    form = {"address": "示范区人民路88号", "delivery_method": "pickup"}
    services.application_create(applicant=applicant, center=center, item_code=code, form=form)  # a draft
    made = 1
    for returned in (False, True):
        application = services.application_create(
            applicant=applicant, center=center, item_code=code, form=form
        )
        _upload_required(applicant, application, version)
        application.refresh_from_db()
        application = services.application_submit(
            applicant=applicant, pk=application.pk, version=application.version
        )
        made += 1
        reviewer = (
            User.objects.filter(
                center=center, is_active=True, groups__name="window_clerk", window__department__isnull=True
            )
            .order_by("username")
            .first()
        )
        if returned and reviewer is not None:
            first = Material.objects.filter(version=version).order_by("position").first()
            if first is not None:
                prereview.application_prereview(
                    actor=reviewer,
                    pk=application.pk,
                    outcome="return",
                    version=application.version,
                    corrections=[{"material": first.pk, "note": "申请书缺少申请人签名，请签名后重新上传"}],
                )
    return {"online_applications": made}
