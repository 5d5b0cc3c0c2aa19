"""The staff pages (queue, thread, reply, close, anomalies, frequent questions) and the
applicant's pages (ask, thread, follow-up; the item page's button and frequent questions)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from onewindow.consultations import faq, services
from onewindow.consultations.levels import consultation_levels_sweep
from onewindow.consultations.models import Consultation, FrequentQuestion
from onewindow.core import clock
from onewindow.identity.sessions import Applicant
from tests.applicants import make_person, sign_in

from .conftest import at


def ask(applicant: Applicant, **kw: Any) -> Consultation:
    params: dict[str, Any] = {
        "subject": "营业执照",
        "body": "我的手机13912345678，请问要带什么？",
        "item_code": "SC001",
        **kw,
    }
    return services.consultation_ask(applicant=applicant, **params)


# --- staff -----------------------------------------------------------------------------------


def test_queue_lists_waiting_ones_masked(client, org, item, applicant):
    c = ask(applicant)
    client.force_login(org.user("scjg-reviewer"))
    page = client.get(reverse("web:consultation_queue")).content.decode()
    assert f'data-consultation="{c.pk}"' in page
    assert "李*" in page and "139****0001" in page
    assert "13912345678" not in page and "13900000001" not in page


def test_queue_shows_levels(client, org, item, applicant):
    with clock.frozen_at(at("2026-12-07", "10:00")):
        ask(applicant)
    consultation_levels_sweep(at("2026-12-07", "10:06"))
    client.force_login(org.user("scjg-reviewer"))
    page = client.get(reverse("web:consultation_queue")).content.decode()
    assert 'data-level="2"' in page and 'data-testid="level-red"' in page


def test_other_department_does_not_see_it(client, org, item, applicant):
    c = ask(applicant)
    client.force_login(org.user("sw-reviewer"))
    assert f'data-consultation="{c.pk}"' not in client.get(reverse("web:consultation_queue")).content.decode()
    assert client.get(reverse("web:consultation", args=[c.pk])).status_code == 404


def test_without_the_permission_the_queue_is_forbidden(client, org, item):
    client.force_login(org.user("centeradmin"))
    assert client.get(reverse("web:consultation_queue")).status_code == 403


def test_supervisor_reads_without_replying(client, org, item, applicant):
    c = ask(applicant)
    client.force_login(org.user("supervisor"))
    board = client.get(reverse("web:supervision")).content.decode()
    assert reverse("web:consultation_queue") in board
    page = client.get(reverse("web:consultation", args=[c.pk])).content.decode()
    assert "营业执照" in page and 'data-testid="consult-reply"' not in page
    response = client.post(reverse("web:consultation_reply", args=[c.pk]), {"body": "x", "version": 1})
    assert response.status_code == 403


def test_reply_and_close_without_js(client, org, item, applicant):
    c = ask(applicant)
    client.force_login(org.user("scjg-reviewer"))
    page = client.get(reverse("web:consultation", args=[c.pk])).content.decode()
    assert 'data-testid="consult-reply"' in page
    url = reverse("web:consultation_reply", args=[c.pk])
    assert client.post(url, {"body": " ", "version": 1}).status_code == 422
    response = client.post(url, {"body": "请带身份证。", "version": 1})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == "answered"
    stale = client.post(url, {"body": "again", "version": 1}, follow=True)
    assert any(m.level_tag == "error" for m in stale.context["messages"])
    assert c.messages.filter(author="staff").count() == 1
    client.post(reverse("web:consultation_close", args=[c.pk]), {"version": 2})
    c.refresh_from_db()
    assert c.status == "closed"


def test_anomaly_tab(client, org, item, applicant):
    for _ in range(3):
        ask(applicant)
    client.force_login(org.user("supervisor"))
    page = client.get(reverse("web:consultation_queue") + "?tab=anomalies").content.decode()
    assert 'data-anomaly="SC001"' in page and "110101********1234" not in page


def test_faq_management(client, org, item):
    client.force_login(org.user("scjg-chief"))
    assert item.item.code in client.get(reverse("web:consultation_faq")).content.decode()
    url = reverse("web:consultation_faq_item", args=[item.item.code])
    client.post(url, {"op": "add", "question": "要多久？", "answer": "10个工作日。", "published": "on"})
    client.post(url, {"op": "add", "question": "收费吗？", "answer": "不收费。"})
    second = FrequentQuestion.objects.get(question="收费吗？")
    client.post(url, {"op": "up", "faq": second.pk})
    client.post(
        url, {"op": "edit", "faq": second.pk, "question": "收费吗？", "answer": "免费。", "published": "on"}
    )
    assert list(FrequentQuestion.objects.order_by("position").values_list("question", "published")) == [
        ("收费吗？", True),
        ("要多久？", True),
    ]
    assert client.post(url, {"op": "add", "question": "", "answer": ""}).status_code == 422
    client.force_login(org.user("sw-chief"))
    assert client.get(url).status_code == 404
    client.force_login(org.user("scjg-reviewer"))
    assert client.get(url).status_code == 403


# --- the applicant -----------------------------------------------------------------------------


def test_item_page_has_the_button_and_published_faqs(client, org, item):
    faq.faq_add(
        actor=org.user("scjg-chief"),
        item=item.item,
        question="要多久？",
        answer="10个工作日。",
        published=True,
    )
    faq.faq_add(actor=org.user("scjg-chief"), item=item.item, question="草稿问题", answer="x")
    page = client.get(reverse("portal:item", args=[item.item.code])).content.decode()
    assert 'data-testid="consult-link"' in page and "?item=SC001" in page
    assert "要多久？" in page and "草稿问题" not in page


def test_asking_needs_sign_in(client, org, item):
    response = client.get(reverse("portal:consultation_new") + "?item=SC001")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert "next=" in response["Location"]
    else:
        assert 'data-testid="consult-signin"' in response.content.decode()


def test_ask_then_see_the_reply_and_follow_up(client, org, item, person):
    sign_in(client, person)
    page = client.get(reverse("portal:consultation_new") + "?item=SC001").content.decode()
    assert "食品经营许可" in page
    response = client.post(
        reverse("portal:consultation_new"), {"item": "SC001", "subject": "营业时间", "body": "几点上班？"}
    )
    assert response.status_code == 302
    c = Consultation.objects.get()
    assert response["Location"].startswith(reverse("portal:consultation", args=[c.pk]))
    services.consultation_reply(
        consultation_id=c.pk, actor=org.user("scjg-reviewer"), body="九点。", version=1
    )
    page = client.get(reverse("portal:consultation", args=[c.pk])).content.decode()
    assert "九点。" in page and 'data-status="answered"' in page
    assert "scjg-reviewer" not in page  # the department answers, not a named clerk
    client.post(reverse("portal:consultation", args=[c.pk]), {"body": "周六呢？"})
    c.refresh_from_db()
    assert c.status == "waiting" and c.messages.count() == 3
    listing = client.get(reverse("portal:consultations")).content.decode()
    assert "营业时间" in listing


def test_general_question_and_errors(client, org, calendar_2026, person):
    sign_in(client, person)
    page = client.get(reverse("portal:consultation_new")).content.decode()
    assert 'name="department"' in page
    response = client.post(reverse("portal:consultation_new"), {"subject": "", "body": "", "department": ""})
    assert response.status_code == 422
    client.post(reverse("portal:consultation_new"), {"subject": "问", "body": "答", "department": "SW"})
    assert Consultation.objects.get().department == org.dept_b


def test_someone_elses_thread_is_not_found(client, org, item, applicant):
    c = ask(applicant)
    sign_in(client, make_person(phone="13900000002"))
    assert client.get(reverse("portal:consultation", args=[c.pk])).status_code == 404
    assert client.post(reverse("portal:consultation", args=[c.pk]), {"body": "x"}).status_code == 404
