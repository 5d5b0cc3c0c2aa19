"""The department's pre-review: each outcome, a correction round and the resubmission, two
reviewers at once, and the data scope."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.models import Case, CaseEvent, CaseFile, CorrectionRequest, Notice
from onewindow.cases.tests.conftest import at, local
from onewindow.core import clock
from onewindow.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from onewindow.notifications.models import OutboxMessage
from onewindow.online import selectors, services
from onewindow.online.models import PreReviewRound
from onewindow.online.tests.conftest import pdf, review, submitted
from tests.factories import make_item, make_user


def _materials(ox: Any) -> dict[str, int]:
    return {m.name: m.pk for m in ox.version.materials.all()}


@pytest.mark.django_db
def test_pass_accepts_at_once_with_number_and_notice(ox: Any) -> None:
    done = submitted(ox)
    result = review(ox, done, "pass", reason="材料齐全")
    case = Case.objects.get(pk=result.case_id)
    assert result.status == "accepted" and case.status == "accepted" and case.number
    assert Notice.objects.filter(case=case, kind="acceptance").exists()
    actions = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("action", flat=True))
    assert actions == ["submit", "pre_review_pass", "accept"]
    r = PreReviewRound.objects.get(application=result)
    assert (r.outcome, r.reviewer, r.reviewed_at is not None) == ("pass", ox.user("clerk"), True)
    sms = OutboxMessage.objects.filter(template_code="case_accepted").get()
    assert sms.recipient == ox.person.phone and case.number in sms.body


@pytest.mark.django_db
def test_pass_with_originals_then_the_window_accepts(ox: Any) -> None:
    done = submitted(ox)
    result = review(ox, done, "pass_originals")
    case = Case.objects.get(pk=result.case_id)
    assert result.status == "passed_originals" and case.status == "received" and not case.number
    sms = OutboxMessage.objects.get(template_code="online_bring_originals")
    assert "原件" in sms.body and case.receipt_number in sms.body and ox.person.id_number not in sms.body
    from onewindow.cases.services import case_act

    case_act(case=case, action="accept", version=case.version, actor=ox.user("clerk"))
    result.refresh_from_db()
    assert result.status == "accepted"


@pytest.mark.django_db
def test_a_correction_round_and_the_resubmission(ox: Any) -> None:
    names = _materials(ox)
    with at("2026-03-05 10:00"):
        done = submitted(ox)
    with at("2026-03-06 09:00"):
        with pytest.raises(ValidationFailed) as exc:
            review(ox, done, "return", corrections=[{"material": names["申请书"], "note": ""}])
        assert "corrections.0.note" in exc.value.details
        returned = review(
            ox,
            done,
            "return",
            corrections=[
                {"material": names["申请书"], "note": "缺少签名"},
                {"material": names["营业执照"], "note": "复印件不清晰"},
            ],
        )
    case = Case.objects.get(pk=returned.case_id)
    assert returned.status == "returned" and case.status == "correction_requested"
    assert case.answer_due_at is None
    assert OutboxMessage.objects.filter(template_code="case_correction_requested").count() == 1
    first = PreReviewRound.objects.get(application=returned, number=1)
    assert [c["name"] for c in first.corrections] == ["申请书", "营业执照"] and first.outcome == "return"
    # resubmitting needs a new file for every material on the list
    with pytest.raises(ValidationFailed) as missing:
        services.application_resubmit(applicant=ox.citizen, pk=done.pk, version=returned.version)
    assert len(missing.value.details) == 2
    for name in ("申请书", "营业执照"):
        services.application_file_add(
            applicant=ox.citizen, pk=done.pk, material_id=names[name], file=pdf(f"{name}2.pdf")
        )
    returned.refresh_from_db()
    with at("2026-03-06 17:00"):  # Friday afternoon: the new clock ends on Monday
        again = services.application_resubmit(applicant=ox.citizen, pk=done.pk, version=returned.version)
    case.refresh_from_db()
    assert again.status == "submitted" and again.round == 2 and case.status == "submitted"
    assert again.prereview_due_at == local("2026-03-09 23:59:59")
    assert case.answer_due_at == local("2026-03-13 23:59:59.999999")  # 5 days again from the resubmission
    assert CaseFile.objects.filter(case=case).count() == 4
    assert CorrectionRequest.objects.get(case=case).received_at is not None
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.action == "resubmit_online" and event.actor is None
    # the second round passes
    result = review(ox, again, "pass")
    assert result.status == "accepted"
    assert list(PreReviewRound.objects.filter(application=result).values_list("number", "outcome")) == [
        (1, "return"),
        (2, "pass"),
    ]


@pytest.mark.django_db
def test_refuse_needs_a_reason_and_states_the_rights(ox: Any) -> None:
    done = submitted(ox)
    with pytest.raises(ValidationFailed) as exc:
        review(ox, done, "refuse")
    assert "reason" in exc.value.details
    result = review(ox, done, "refuse", reason="不属于本部门职权范围")
    case = Case.objects.get(pk=result.case_id)
    assert result.status == "refused" and case.status == "refused"
    notice = Notice.objects.get(case=case, kind="refusal")
    assert "行政复议" in notice.data["rights_statement"]
    with pytest.raises(Conflict):
        review(ox, result, "pass")


@pytest.mark.django_db
def test_two_reviewers_at_once_one_wins_the_other_gets_409(ox: Any) -> None:
    from onewindow.online import prereview

    done = submitted(ox)
    done.refresh_from_db()
    seen = done.version
    prereview.application_prereview(actor=ox.user("clerk"), pk=done.pk, outcome="pass", version=seen)
    with pytest.raises(Conflict) as exc:
        prereview.application_prereview(
            actor=ox.user("clerk"), pk=done.pk, outcome="refuse", reason="重复", version=seen
        )
    assert exc.value.code == "stale_version"
    assert Case.objects.get(pk=done.case_id).status == "accepted"


@pytest.mark.django_db
def test_the_queue_is_scoped_sorted_and_marked(ox: Any) -> None:
    other_dept = make_item(ox, department=ox.dept_b)
    from onewindow.cases.versions import clear_cache
    from onewindow.catalog.models import ServiceItemVersion

    ServiceItemVersion.objects.filter(pk=other_dept.pk).update(online_allowed=True)
    clear_cache()
    with at("2026-03-05 10:00"):
        first = submitted(ox)
    with at("2026-03-06 10:00"):
        second = submitted(ox)
        ox.version = other_dept
        theirs = submitted(ox)
    a_clerk = make_user("a-clerk", center=ox.center, department=ox.dept_a, roles=("window_clerk",))
    ox.users["a-clerk"] = a_clerk
    assert [a.pk for a in selectors.queue(ox.user("clerk"))] == [first.pk, second.pk, theirs.pk]
    assert [a.pk for a in selectors.queue(a_clerk)] == [first.pk, second.pk]
    assert not selectors.queue(ox.user("scjg-reviewer")).exists()  # no permission
    with pytest.raises(NotFound):
        review(ox, theirs, "pass", user="a-clerk")
    with pytest.raises(PermissionDenied):
        review(ox, first, "pass", user="scjg-reviewer")
    first.refresh_from_db()
    with at("2026-03-06 12:00"):
        assert selectors.level(first, clock.now()) == "yellow"  # due at the end of today
    with at("2026-03-09 08:00"):
        assert selectors.level(first, clock.now()) == "red"
        assert selectors.level(theirs, clock.now()) == "yellow"


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_in_two_threads(org: Any, settings: Any, tmp_path: Any) -> None:
    """Committed transactions on a real database: one decision wins, the other is a 409, and
    the case was acted on once."""
    from onewindow.cases.tests.test_concurrency import run_threads
    from onewindow.identity.sessions import Applicant
    from onewindow.online import prereview
    from onewindow.online.tests.conftest import load_calendar_2026, online_item
    from tests.applicants import make_person

    settings.MEDIA_ROOT = tmp_path
    load_calendar_2026()
    org.version = online_item(org)
    org.person = make_person()
    org.citizen = Applicant(person=org.person)
    done = submitted(org)
    seen = done.version
    outcomes = ["pass", "refuse"]

    def work(i: int) -> str:
        prereview.application_prereview(
            actor=org.user("clerk"), pk=done.pk, outcome=outcomes[i], reason="并发", version=seen
        )
        return outcomes[i]

    results, errors = run_threads(2, work)
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], Conflict)
    done.refresh_from_db()
    case = Case.objects.get(pk=done.case_id)
    assert done.status == {"pass": "accepted", "refuse": "refused"}[results[0]]
    assert case.status == done.status
    assert PreReviewRound.objects.get(application=done).outcome == results[0]
