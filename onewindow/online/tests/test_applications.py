"""Drafts, uploads, material sharing, submission and the 5-day rule from the submission."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.models import Case, CaseFile, CaseMaterial
from onewindow.cases.services import case_deem_accept_overdue
from onewindow.cases.tests.conftest import at, local
from onewindow.catalog.models import Material
from onewindow.core.errors import Conflict, NotFound, ValidationFailed
from onewindow.identity.sessions import Applicant
from onewindow.online import services
from onewindow.online.models import OnlineApplication, OnlineFile, PreReviewRound
from onewindow.online.tests.conftest import JPG, OFD, PNG, draft, online_item, pdf, submitted, upload_all
from tests.applicants import make_enterprise, make_person, resident_id, uscc
from tests.factories import make_item


@pytest.mark.django_db
def test_a_draft_is_saved_with_its_version_and_a_stale_save_is_409(ox: Any) -> None:
    application = draft(ox)
    assert application.status == "draft" and application.version == 1
    saved = services.application_save(applicant=ox.citizen, pk=application.pk, version=1, form={"note": "急"})
    assert saved.version == 2 and saved.form == {"note": "急"}
    with pytest.raises(Conflict) as exc:
        services.application_save(applicant=ox.citizen, pk=application.pk, version=1, form={"note": "慢"})
    assert exc.value.details == {"version": 2}
    with pytest.raises(ValidationFailed) as bad:
        services.application_save(
            applicant=ox.citizen, pk=application.pk, version=2, form={"x": "1", "delivery_method": "drone"}
        )
    assert set(bad.value.details) == {"form.x", "form.delivery_method"}


@pytest.mark.django_db
def test_only_who_may_act_for_a_draft_reaches_it(ox: Any) -> None:
    application = draft(ox)
    other = Applicant(person=make_person(phone="13900139000", id_number=resident_id("11010119850101123")))
    with pytest.raises(NotFound):
        services.application_save(applicant=other, pk=application.pk, version=1, form={})
    # acting for an enterprise, the person's own drafts are not the enterprise's
    company = make_enterprise(ox.person)
    with pytest.raises(NotFound):
        services.application_save(
            applicant=Applicant(person=ox.person, enterprise=company), pk=application.pk, version=1, form={}
        )


@pytest.mark.django_db
def test_an_item_not_open_online_is_refused(ox: Any) -> None:
    window_only = make_item(ox)
    with pytest.raises(ValidationFailed) as exc:
        services.application_create(applicant=ox.citizen, center=ox.center, item_code=window_only.item.code)
    assert exc.value.code == "online_not_allowed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("a.pdf", b"%PDF-1.7 x", True),
        ("a.png", PNG, True),
        ("a.jpg", JPG, True),
        ("a.ofd", OFD, True),
        ("a.pdf", b"#!/bin/sh\nrm -rf /", False),  # a script renamed
        ("a.docx", b"PK\x03\x04xx", False),  # not a type the online hall takes
        ("a.exe", b"MZ", False),
        ("a.pdf", b"", False),
    ],
)
def test_uploads_are_checked_by_type_and_content(ox: Any, name: str, content: bytes, ok: bool) -> None:
    application = draft(ox)
    material = ox.version.materials.first()
    upload = pdf(name, content, "application/octet-stream")
    if ok:
        row = services.application_file_add(
            applicant=ox.citizen, pk=application.pk, material_id=material.pk, file=upload
        )
        assert row.file.storage.exists(row.file.name) and not row.file.name.endswith("/" + name)
        assert OnlineApplication.objects.get(pk=application.pk).version == 2
    else:
        with pytest.raises(ValidationFailed) as exc:
            services.application_file_add(
                applicant=ox.citizen, pk=application.pk, material_id=material.pk, file=upload
            )
        assert "file" in exc.value.details
        assert not OnlineFile.objects.exists()


@pytest.mark.django_db
def test_the_size_limit(ox: Any, settings: Any) -> None:
    settings.ONLINE_UPLOAD_MAX_MB = 1
    application = draft(ox)
    material = ox.version.materials.first()
    big = pdf("big.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationFailed) as exc:
        services.application_file_add(
            applicant=ox.citizen, pk=application.pk, material_id=material.pk, file=big
        )
    assert "1 MB" in exc.value.details["file"][0]
    other = make_item(ox).materials.first()  # a material of another item
    with pytest.raises(ValidationFailed):
        services.application_file_add(
            applicant=ox.citizen, pk=application.pk, material_id=other.pk, file=pdf()
        )


@pytest.mark.django_db
def test_submit_needs_every_required_material_then_creates_the_case(ox: Any) -> None:
    with at("2026-03-06 16:00"):  # a Friday
        application = draft(ox)
        with pytest.raises(ValidationFailed) as exc:
            services.application_submit(applicant=ox.citizen, pk=application.pk, version=1)
        assert exc.value.code == "missing_materials" and len(exc.value.details) == 2  # 申请书, 营业执照
        upload_all(ox, application)
        application.refresh_from_db()
        done = services.application_submit(
            applicant=ox.citizen, pk=application.pk, version=application.version
        )
    case = Case.objects.get(pk=done.case_id)
    assert done.status == "submitted" and done.round == 1
    assert case.status == "submitted" and case.channel == "online" and case.receipt_number
    assert case.applicant_name == "张三" and case.applicant_kind == "person" and not case.agent_name
    # the pre-review clock: 1 working day, over the weekend → the end of Monday
    assert done.prereview_due_at == local("2026-03-09 23:59:59")
    assert PreReviewRound.objects.get(application=done).due_at == done.prereview_due_at
    # the law's 5 days run from the submission
    assert case.answer_due_at == local("2026-03-13 23:59:59.999999")
    files = CaseFile.objects.filter(case=case)
    assert files.count() == 2 and all(f.case_material_id for f in files)
    assert {f.file.name for f in files} == set(OnlineFile.objects.values_list("file", flat=True))
    assert set(OnlineFile.objects.values_list("sent_round", flat=True)) == {1}
    with pytest.raises(Conflict):  # submitted: no more edits
        services.application_save(applicant=ox.citizen, pk=done.pk, version=done.version, form={})


@pytest.mark.django_db
def test_an_item_sets_its_own_prereview_days(ox: Any) -> None:
    from onewindow.online.models import PreReviewSetting

    PreReviewSetting.objects.create(center=ox.center, item_code=ox.version.item.code, days=3)
    with at("2026-03-06 16:00"):
        done = submitted(ox)
    assert done.prereview_due_at == local("2026-03-11 23:59:59")


@pytest.mark.django_db
def test_unreviewed_online_applications_are_deemed_accepted_from_the_submission(ox: Any) -> None:
    with at("2026-03-06 16:00"):
        done = submitted(ox)
    with at("2026-03-13 23:00"):
        assert case_deem_accept_overdue() == 0
    with at("2026-03-14 00:00"):
        assert case_deem_accept_overdue() == 1
    done.refresh_from_db()
    case = Case.objects.get(pk=done.case_id)
    assert case.status == "accepted" and case.deemed_accepted and str(case.accepted_on) == "2026-03-06"
    assert done.status == "accepted"  # the application follows its case


@pytest.mark.django_db
def test_a_material_another_items_result_provides_is_shared(ox: Any) -> None:
    licence = make_item(ox, name="营业执照核发")
    version = online_item(ox, name="食品经营许可（共享）")
    Material.objects.filter(version=version, name="营业执照").update(
        shared_result_item_code=licence.item.code
    )
    from onewindow.cases.versions import clear_cache

    clear_cache()
    earlier = Case.objects.create(
        center=ox.center,
        item_version=licence,
        department=licence.department,
        channel="window",
        status="completed",
        decision="granted",
        applicant_kind="person",
        applicant_name="张三",
        applicant_id_type="resident_id",
        applicant_id_number=ox.person.id_number,
        applicant_phone=ox.person.phone,
        number="DEMO20260101A0001",
        receipt_number="R-DEMO-1",
        promised_limit=1,
        legal_limit=1,
        created_at=local("2026-01-01 10:00"),
    )
    ox.version = version
    with at("2026-03-06 10:00"):
        application = draft(ox)
        services.application_file_add(
            applicant=ox.citizen,
            pk=application.pk,
            material_id=version.materials.get(name="申请书").pk,
            file=pdf(),
        )
        application.refresh_from_db()
        done = services.application_submit(
            applicant=ox.citizen, pk=application.pk, version=application.version
        )
    row = CaseMaterial.objects.get(case_id=done.case_id, name="营业执照")
    assert row.received and row.form == "electronic" and earlier.number in row.note
    assert not CaseFile.objects.filter(case_material=row).exists()


@pytest.mark.django_db
def test_an_enterprise_agent_applies_for_the_enterprise(ox: Any) -> None:
    boss = make_person(phone="13700137000", name="李四", id_number=resident_id("11010119700101123"))
    agent = make_person(phone="13600136000", name="王五", id_number=resident_id("11010119920202123"))
    company = make_enterprise(boss, code=uscc(), agents=(agent,))
    acting = Applicant(person=agent, enterprise=company)
    done = submitted(ox, acting)
    case = Case.objects.get(pk=done.case_id)
    assert (case.applicant_kind, case.applicant_name, case.applicant_id_number) == (
        "enterprise",
        company.name,
        company.uscc,
    )
    assert case.legal_rep_name == "李四" and case.agent_name == "王五"
    assert done.enterprise_id == company.pk and done.person_id == agent.pk
    # the legal representative, acting for the enterprise, reaches it too; the agent alone does not
    assert services.selectors.application_for(Applicant(person=boss, enterprise=company), done.pk)
    with pytest.raises(NotFound):
        services.selectors.application_for(Applicant(person=agent), done.pk)


@pytest.mark.django_db
def test_a_draft_is_deleted_with_its_files(ox: Any, django_capture_on_commit_callbacks: Any) -> None:
    application = draft(ox)
    upload_all(ox, application)
    names = list(OnlineFile.objects.values_list("file", flat=True))
    storage = OnlineFile._meta.get_field("file").storage
    assert names and all(storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_delete(applicant=ox.citizen, pk=application.pk)
    assert not OnlineApplication.objects.exists() and not OnlineFile.objects.exists()
    assert not any(storage.exists(n) for n in names)  # removed after the commit
    done = submitted(ox)
    with pytest.raises(Conflict):
        services.application_delete(applicant=ox.citizen, pk=done.pk)


@pytest.mark.django_db
def test_the_prereview_setting_is_checked_and_audited(ox: Any) -> None:
    from onewindow.core.models import AuditEntry
    from onewindow.online.prereview import prereview_setting_save

    with pytest.raises(ValidationFailed) as exc:
        prereview_setting_save(actor=ox.user("centeradmin"), center_id=ox.center.pk, item_code="", days=0)
    assert set(exc.value.details) == {"item_code", "days"}
    prereview_setting_save(actor=ox.user("centeradmin"), center_id=ox.center.pk, item_code="X1", days=2)
    prereview_setting_save(actor=ox.user("centeradmin"), center_id=ox.center.pk, item_code="X1", days=3)
    from onewindow.online import selectors

    assert selectors.prereview_days(ox.center.pk, "X1") == 3
    assert AuditEntry.objects.filter(action="online.prereview_setting").count() == 2
