"""The queues in scope, the anomaly (≥ 3 consultations without an application), the daily
statistics (seed 003) and the consultation hours as data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from onewindow.cases.tests.conftest import intake
from onewindow.consultations import deadlines, faq, selectors, services
from onewindow.consultations.models import Consultation, WorkingPeriod
from onewindow.core import clock
from onewindow.core.errors import NotFound
from onewindow.identity.sessions import Applicant
from tests.applicants import make_person
from tests.factories import make_item

from .conftest import at


def ask(applicant: Applicant, code: str = "SC001", **kw: Any) -> Consultation:
    params: dict[str, Any] = {"subject": "问题", "body": "内容", "item_code": code, **kw}
    return services.consultation_ask(applicant=applicant, **params)


def test_queue_is_scoped_and_sorted_by_due(org, item, applicant):
    with clock.frozen_at(at("2026-12-07", "10:10")):
        later = ask(applicant)
    with clock.frozen_at(at("2026-12-07", "10:00")):
        earlier = ask(applicant)
        general = ask(applicant, code="", department_code="SW")
    assert [c.pk for c in selectors.queue(org.user("scjg-reviewer"))] == [earlier.pk, later.pk]
    assert [c.pk for c in selectors.queue(org.user("sw-reviewer"))] == [general.pk]
    assert len(selectors.queue(org.user("supervisor"))) == 3  # read access to every department
    assert len(selectors.queue(org.user("centeradmin"))) == 0  # neither replies nor supervises
    assert selectors.waiting_counts(org.user("scjg-reviewer"))["total"] == 2


def test_staff_thread_outside_scope_is_not_found(org, item, applicant):
    c = ask(applicant)
    assert selectors.consultation_for_staff(org.user("supervisor"), c.pk) == c
    with pytest.raises(NotFound):
        selectors.consultation_for_staff(org.user("sw-reviewer"), c.pk)


def test_three_consultations_without_an_application_is_an_anomaly(org, item, applicant):
    for _ in range(2):
        ask(applicant)
    assert selectors.anomalies(org.user("supervisor")) == []
    ask(applicant)
    found = selectors.anomalies(org.user("supervisor"))
    assert len(found) == 1 and found[0].consultations == 3 and found[0].item_code == "SC001"
    assert selectors.anomalies(org.user("sw-reviewer")) == []  # another department's
    assert len(selectors.anomalies(org.user("scjg-reviewer"))) == 1


def test_an_application_under_the_same_id_number_clears_the_anomaly(org, item, applicant):
    for _ in range(3):
        ask(applicant)
    intake(org, item)  # the same resident ID as the person's
    assert selectors.anomalies(org.user("supervisor")) == []


def test_an_application_for_another_item_does_not_clear_it(org, item, applicant):
    other = make_item(org, code="SC002", name="其他事项")
    for _ in range(3):
        ask(applicant)
    intake(org, other)
    assert len(selectors.anomalies(org.user("supervisor"))) == 1


def test_consultations_of_different_applicants_are_counted_apart(org, item, applicant):
    other = Applicant(person=make_person(phone="13900000009", id_number="11010119900307999X"))
    ask(applicant)
    ask(applicant)
    ask(other)
    assert selectors.anomalies(org.user("supervisor")) == []


def test_department_days_count_late_waits_and_offline_days(org, item, applicant):
    day = dt.date(2026, 12, 7)
    reviewer = org.user("scjg-reviewer")
    for minute in range(5):  # five late waits
        with clock.frozen_at(at("2026-12-07", f"10:{minute:02d}")):
            c = ask(applicant)
        with clock.frozen_at(at("2026-12-07", "11:00")):
            services.consultation_reply(consultation_id=c.pk, actor=reviewer, body="答", version=1)
    with clock.frozen_at(at("2026-12-07", "11:30")):
        on_time = ask(applicant)
        services.consultation_reply(consultation_id=on_time.pk, actor=reviewer, body="答", version=1)
        ask(applicant, code="", department_code="SW")  # never answered: SW is offline that day
    rows = {
        r.department_id: r
        for r in selectors.department_days(
            center_id=org.center.pk, first=day, last=day, now=at("2026-12-07", "18:00")
        )
    }
    scjg, sw = rows[org.dept_a.pk], rows[org.dept_b.pk]
    assert (scjg.waits, scjg.late, scjg.replies) == (6, 5, 6)
    assert scjg.loses_point and not scjg.offline
    assert (sw.waits, sw.late, sw.replies) == (1, 1, 0)
    assert sw.offline and sw.loses_point


def test_four_late_waits_keep_the_point(org, item, applicant):
    day = dt.date(2026, 12, 7)
    for minute in range(4):
        with clock.frozen_at(at("2026-12-07", f"10:{minute:02d}")):
            c = ask(applicant)
        with clock.frozen_at(at("2026-12-07", "11:00")):
            services.consultation_reply(consultation_id=c.pk, actor=org.user("clerk"), body="答", version=1)
    (row,) = selectors.department_days(
        center_id=org.center.pk, first=day, last=day, now=at("2026-12-07", "18:00")
    )
    assert row.late == 4 and not row.loses_point


def test_consultation_hours_are_data(org, item, applicant):
    assert deadlines.periods_for(org.center.pk) == ((dt.time(9), dt.time(12)), (dt.time(13), dt.time(17)))
    WorkingPeriod.objects.create(center=org.center, starts=dt.time(8, 30), ends=dt.time(12))
    WorkingPeriod.objects.create(center=org.center, starts=dt.time(14), ends=dt.time(17, 30))
    with clock.frozen_at(at("2026-12-07", "11:58")):
        c = ask(applicant)
    assert c.waits.get().due_at == at("2026-12-07", "14:03")


def test_published_faqs_only(org, item):
    chief = org.user("scjg-chief")
    first = faq.faq_add(
        actor=chief, item=item.item, question="要多久？", answer="10个工作日。", published=True
    )
    faq.faq_add(actor=chief, item=item.item, question="草稿", answer="未发布")
    third = faq.faq_add(actor=chief, item=item.item, question="收费吗？", answer="不收费。", published=True)
    assert [f.pk for f in selectors.published_faqs(item.item)] == [first.pk, third.pk]
    faq.faq_move(actor=chief, item=item.item, faq_id=third.pk, up=True)
    faq.faq_move(actor=chief, item=item.item, faq_id=third.pk, up=True)
    assert [f.pk for f in selectors.published_faqs(item.item)] == [third.pk, first.pk]
