"""A bundle (一件事) applied for online: the draft, the answers → the items, submission into the
lead department's queue, pre-review pass (the bundle case and its sub-cases), return and
resubmission, refusal, two reviewers at once, and the scope."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.approvals.models import BundleCase
from onewindow.catalog.models import ServiceItemVersion
from onewindow.core.errors import Conflict, NotFound, ValidationFailed
from onewindow.online import bundles, selectors
from onewindow.online.models import OnlineApplication, PreReviewRound
from onewindow.online.tests.bundle_fixtures import bundle_draft, bundle_review, bundle_submitted, first_bundle
from onewindow.online.tests.conftest import pdf
from onewindow.org.models import User
from tests.factories import make_user


@pytest.mark.django_db
def test_online_allowed_follows_the_first_phase_items(bx: Any) -> None:
    bundle = first_bundle(bx.center)
    assert bundles.online_allowed(bundle)
    ServiceItemVersion.objects.filter(pk=bx.items["GA-B1"].pk).update(online_allowed=False)
    from onewindow.cases.versions import clear_cache

    clear_cache()
    assert not bundles.online_allowed(bundle)
    with pytest.raises(ValidationFailed) as exc:
        bundle_draft(bx)
    assert exc.value.code == "online_not_allowed"


@pytest.mark.django_db
def test_answers_select_the_items_and_their_materials(bx: Any) -> None:
    bundle = first_bundle(bx.center)
    no = bundles.situation(bundle, {"seal": "no"})
    yes = bundles.situation(bundle, {"seal": "yes"})
    assert "GA-B1" not in [i.code for i in no.items] and "GA-B1" in [i.code for i in yes.items]
    assert not yes.errors and [m.name for m in yes.materials] == ["营业执照", "身份证明"]
    unanswered = bundles.situation(bundle, {})
    assert "answers.seal" in unanswered.errors and "GA-B1" not in [i.code for i in unanswered.items]


@pytest.mark.django_db
def test_draft_save_checks_the_form_and_the_version(bx: Any) -> None:
    draft = bundle_draft(bx)
    assert (draft.status, draft.bundle_code, draft.department_id) == (
        "draft",
        "QYKB",
        bx.bundle.lead_department_id,
    )
    with pytest.raises(ValidationFailed) as exc:
        bundles.bundle_application_save(
            applicant=bx.company,
            pk=draft.pk,
            version=draft.version,
            answers={"seal": "maybe"},
            form={"x": "1"},
        )
    assert {"answers.seal", "form.x"} <= set(exc.value.details)
    saved = bundles.bundle_application_save(
        applicant=bx.company,
        pk=draft.pk,
        version=draft.version,
        answers={"seal": "yes"},
        form={"company_name": "新"},
    )
    assert saved.answers == {"seal": "yes"} and saved.form == {"company_name": "新"}
    with pytest.raises(Conflict):
        bundles.bundle_application_save(applicant=bx.company, pk=draft.pk, version=draft.version, form={})
    with pytest.raises(NotFound):
        bundles.bundle_application_save(applicant=bx.citizen, pk=draft.pk, version=saved.version, form={})


@pytest.mark.django_db
def test_submit_needs_the_form_and_every_required_material(bx: Any) -> None:
    draft = bundle_draft(bx)
    bundles.bundle_application_save(
        applicant=bx.company, pk=draft.pk, version=draft.version, answers={"seal": "no"}, form={}
    )
    draft.refresh_from_db()
    with pytest.raises(ValidationFailed) as exc:
        bundles.bundle_application_submit(applicant=bx.company, pk=draft.pk, version=draft.version)
    assert {"form.company_name", "materials.1", "materials.2"} <= set(exc.value.details)
    draft.refresh_from_db()
    assert draft.status == "draft" and not PreReviewRound.objects.exists()


@pytest.mark.django_db
def test_submit_enters_the_lead_departments_queue_without_a_case(bx: Any) -> None:
    done = bundle_submitted(bx)
    assert done.status == "submitted" and done.case_id is None and done.bundle_case_id is None
    assert done.round == 1 and done.prereview_due_at is not None
    assert not BundleCase.objects.exists()
    assert list(selectors.queue(bx.user("clerk"))) == [done]
    bx.org.users["sw-clerk"] = other = make_user(
        "sw-clerk",
        center=bx.center,
        department=bx.depts["SW"],
        roles=("window_clerk",),
        data_scope=User.Scope.DEPARTMENT,
    )
    assert list(selectors.queue(other)) == []
    with pytest.raises(NotFound):
        bundle_review(bx, done, "pass", user="sw-clerk")


@pytest.mark.django_db
def test_pass_creates_the_bundle_case_with_its_sub_cases(bx: Any) -> None:
    done = bundle_submitted(bx, seal="yes")
    result = bundle_review(bx, done, "pass", reason="材料齐全")
    assert result.status == "accepted" and result.bundle_case is not None
    bundle_case = BundleCase.objects.get(pk=result.bundle_case_id)
    assert bundle_case.status == "in_progress" and bundle_case.number and bundle_case.channel == "online"
    assert bundle_case.applicant_id_number == bx.enterprise.uscc
    assert bundle_case.answers == {"seal": "yes"} and bundle_case.form == {"company_name": "星河科技"}
    assert all(m["received"] for m in bundle_case.materials)
    assert bx.person.name in bundle_case.note
    codes = set(bundle_case.sub_cases.values_list("case__item_version__item__code", flat=True))
    assert codes == {"SCJG-B1", "GA-B1", "SW-B1", "RS-B1"}
    r = PreReviewRound.objects.get(application=result)
    assert (r.outcome, r.reviewer) == ("pass", bx.user("clerk"))


@pytest.mark.django_db
def test_return_and_resubmit_then_pass(bx: Any) -> None:
    done = bundle_submitted(bx)
    with pytest.raises(ValidationFailed):
        bundle_review(bx, done, "return", corrections=[{"material": 9, "note": "x"}])
    returned = bundle_review(
        bx, done, "return", corrections=[{"material": 2, "note": "身份证明不清晰"}], reason="请补正"
    )
    assert returned.status == "returned" and not BundleCase.objects.exists()
    assert bundles.bundle_application_resubmit.__name__
    with pytest.raises(ValidationFailed) as exc:
        bundles.bundle_application_resubmit(applicant=bx.company, pk=done.pk, version=returned.version)
    assert "materials.2" in exc.value.details
    bundles.bundle_file_add(applicant=bx.company, pk=done.pk, material=2, file=pdf("清晰.pdf"))
    returned.refresh_from_db()
    again = bundles.bundle_application_resubmit(applicant=bx.company, pk=done.pk, version=returned.version)
    assert again.status == "submitted" and again.round == 2
    result = bundle_review(bx, again, "pass")
    assert result.status == "accepted" and result.bundle_case_id
    rounds = list(PreReviewRound.objects.filter(application=result).values_list("number", "outcome"))
    assert rounds == [(1, "return"), (2, "pass")]


@pytest.mark.django_db
def test_refuse_records_the_refusal_on_a_bundle_case(bx: Any) -> None:
    done = bundle_submitted(bx)
    with pytest.raises(ValidationFailed):
        bundle_review(bx, done, "refuse")
    with pytest.raises(ValidationFailed):
        bundle_review(bx, done, "pass_originals")
    result = bundle_review(bx, done, "refuse", reason="不属于本中心受理范围")
    bundle_case = BundleCase.objects.get(pk=result.bundle_case_id)
    assert result.status == "refused" and bundle_case.status == "refused"
    assert bundle_case.notices.filter(kind="refusal").exists()


@pytest.mark.django_db
def test_two_reviewers_one_wins(bx: Any) -> None:
    done = bundle_submitted(bx)
    seen = OnlineApplication.objects.get(pk=done.pk).version
    from onewindow.online import prereview

    prereview.application_prereview(actor=bx.user("clerk"), pk=done.pk, outcome="pass", version=seen)
    with pytest.raises(Conflict):
        prereview.application_prereview(
            actor=bx.user("clerk"), pk=done.pk, outcome="refuse", version=seen, reason="迟了"
        )
    assert BundleCase.objects.count() == 1


@pytest.mark.django_db
def test_a_person_applies_for_themselves_and_deletes_a_draft(bx: Any) -> None:
    draft = bundle_draft(bx, bx.citizen)
    f = bundles.bundle_file_add(applicant=bx.citizen, pk=draft.pk, material=1, file=pdf())
    with pytest.raises(ValidationFailed):
        bundles.bundle_file_add(applicant=bx.citizen, pk=draft.pk, material=1, file=pdf("a.exe"))
    bundles.bundle_file_remove(applicant=bx.citizen, pk=draft.pk, file_id=f.pk)
    from onewindow.online import services

    services.application_delete(applicant=bx.citizen, pk=draft.pk)
    assert not OnlineApplication.objects.exists()


@pytest.mark.django_db
def test_a_filled_field_is_checked_like_the_window(bx: Any) -> None:
    from onewindow.catalog.models import BundleField

    BundleField.objects.create(
        bundle=bx.bundle, key="capital", label="注册资本", field_type="number", position=2
    )
    bx.bundle.save()  # the definition is read again
    draft = bundle_draft(bx)
    with pytest.raises(ValidationFailed) as exc:
        bundles.bundle_application_save(
            applicant=bx.company, pk=draft.pk, version=draft.version, form={"capital": "一百万"}
        )
    assert list(exc.value.details) == ["form.capital"]
    saved = bundles.bundle_application_save(
        applicant=bx.company, pk=draft.pk, version=draft.version, form={"capital": "100"}
    )
    assert saved.form == {"capital": "100"}
