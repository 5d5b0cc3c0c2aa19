"""The rectification pages, and the supervision pages showing an order about a rectification."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.urls import reverse

from onewindow.cases.tests.conftest import at, local
from onewindow.feedback.rectification_sweep import rectification_sweep
from onewindow.feedback.tests.rectify_helpers import bad_rating, do
from onewindow.supervision.models import SupervisionOrder
from onewindow.web.navigation import nav_for

pytestmark = pytest.mark.django_db


def login(client: Any, cx: Any, name: str) -> Any:
    client.force_login(cx.user(name))
    return client


def test_the_worklist_shows_open_ones_with_badges_and_filters(client: Any, cx: Any) -> None:
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
    with at("2026-11-03 21:00"):
        rectification_sweep(local("2026-11-03 21:00"), Counter())
        page = login(client, cx, "scjg-chief").get(reverse("web:rectifications")).content.decode()
    assert f'data-rectification="{r.pk}"' in page and 'data-testid="level-yellow"' in page
    with at("2026-11-03 21:00"):
        closed = client.get(reverse("web:rectifications") + "?status=closed").content.decode()
        other = client.get(reverse("web:rectifications") + "?department=SW").content.decode()
    assert f'data-rectification="{r.pk}"' not in closed
    assert f'data-rectification="{r.pk}"' in other  # a department outside the scope is ignored
    assert "rectifications" in [link.key for link in nav_for(cx.user("scjg-chief"))]
    assert "rectifications" not in [link.key for link in nav_for(cx.user("clerk"))]


def test_the_detail_runs_the_workflow_with_errors_that_say_what_to_fix(client: Any, cx: Any) -> None:
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
        login(client, cx, "scjg-chief")
        url = reverse("web:rectification", args=[r.pk])
        act = reverse("web:rectification_act", args=[r.pk])
        page = client.get(url).content.decode()
        assert 'data-testid="form-callback"' in page and 'data-testid="form-rectify"' not in page
        assert 'data-testid="form-classify"' not in page  # real name: call back first
        refused = client.post(act, {"action": "callback", "version": r.version, "note": ""})
        assert refused.status_code == 422
        body = refused.content.decode()
        assert 'data-testid="rect-error"' in body and 'class="errorlist"' in body
        done = client.post(
            act,
            {
                "action": "callback",
                "version": r.version,
                "reached": "yes",
                "note": "已回访",
                "classification": "complex",
                "explanation": "需要调整",
                "due_date": "2026-11-10",
            },
        )
        assert done.status_code == 302
        r.refresh_from_db()
        assert r.status == "rectifying" and r.due_at == local("2026-11-10 23:59:59")
        stale = client.post(act, {"action": "rectify", "version": r.version - 1, "note": "x"}, follow=True)
        assert "reload" in stale.content.decode() or "刷新" in stale.content.decode()
        page = client.get(url).content.decode()
        assert 'data-testid="form-rectify"' in page and 'data-testid="form-callback"' not in page
        assert page.count('data-action="') == 3  # opened, callback, classify


def test_another_departments_chief_gets_404_and_a_clerk_403(client: Any, cx: Any) -> None:
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
        login(client, cx, "sw-chief")
        assert client.get(reverse("web:rectification", args=[r.pk])).status_code == 404
        posted = client.post(
            reverse("web:rectification_act", args=[r.pk]),
            {"action": "callback", "version": r.version, "reached": "yes", "note": "x"},
        )
        assert posted.status_code == 404
        login(client, cx, "clerk")
        assert client.get(reverse("web:rectifications")).status_code == 403


def test_supervisor_approves_a_void_and_the_rating_stays_visible(client: Any, cx: Any) -> None:
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
        r = do(
            r,
            "callback",
            cx.user("scjg-chief"),
            reached=True,
            note="误点",
            classification="mistaken",
            explanation="误评",
        )
        login(client, cx, "supervisor")
        client.post(
            reverse("web:rectification_act", args=[r.pk]),
            {"action": "approve_void", "version": r.version, "note": "录音证实为误评"},
        )
        page = client.get(reverse("web:rectification", args=[r.pk])).content.decode()
    assert 'data-testid="rect-voided"' in page and "录音证实为误评" in page and "supervisor" in page


def test_the_supervision_pages_show_an_order_without_a_case(client: Any, cx: Any) -> None:
    with at("2026-11-02 10:00"):
        r = bad_rating(cx)
    with at("2026-11-04 09:00"):
        rectification_sweep(local("2026-11-04 09:00"), Counter())
        order = SupervisionOrder.objects.get(subject_kind="rectification")
        link = reverse("web:rectification", args=[r.pk])
        login(client, cx, "supervisor")
        for name in ("supervision", "supervision_orders"):
            page = client.get(reverse(f"web:{name}"))
            assert page.status_code == 200
            assert link in page.content.decode(), name
        login(client, cx, "scjg-chief")
        mine = client.get(reverse("web:supervision_mine")).content.decode()
        assert f'data-order="{order.pk}"' in mine and link in mine
        replied = client.post(reverse("web:supervision_order_reply", args=[order.pk]), {"reply": "已回访"})
        assert replied.status_code == 302
        order.refresh_from_db()
        assert order.status == "replied"


def test_an_accountability_record_about_a_complaint_links_to_its_page(client: Any, cx: Any) -> None:
    from onewindow.supervision.subjects import accountability_record_for_subject
    from onewindow.web.templatetags.subjects import subject_link

    with at("2026-11-02 10:00"):
        record = accountability_record_for_subject(
            subject_kind="complaint",
            subject_ref="TS2026000123",
            subject_label="投诉 TS2026000123",
            department_id=cx.dept_a.pk,
            person_id=None,
            reason="有效投诉",
            now=local("2026-11-02 10:00"),
            actor=cx.user("supervisor"),
        )
        login(client, cx, "supervisor")
        page = client.get(reverse("web:supervision_accountability")).content.decode()
        assert 'href="/staff/complaints/TS2026000123/"' in page and "投诉 TS2026000123" in page
        login(client, cx, "scjg-chief")
        mine = client.get(reverse("web:supervision_mine")).content.decode()
        assert f'data-record="{record.pk}"' in mine
        login(client, cx, "sw-chief")  # another department's record is not listed
        assert (
            f'data-record="{record.pk}"' not in client.get(reverse("web:supervision_mine")).content.decode()
        )
    record.subject_kind = "other"
    assert "<a " not in subject_link(record) and "投诉" in subject_link(record)
