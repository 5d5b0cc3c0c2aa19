"""The supervision pages: the console after a real sweep, filters, the forecast, orders from
issue to close, accountability appeal and decision, the rules, refusals and scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from onewindow.supervision.models import AccountabilityRecord, Flag, SupervisionOrder, SupervisionRule
from onewindow.web.supervision.forms import next_friday_evening
from onewindow.web.supervision.tests.conftest import intake, late_and_swept

pytestmark = pytest.mark.django_db


def login(client, org, name):
    client.force_login(org.user(name))
    return client


def texts(response) -> str:
    return response.content.decode()


def flag_table(response) -> str:
    """Only the flagged cases and steps table of the console."""
    return texts(response).split('data-testid="flags"')[1].split("</table>")[0]


def test_console_needs_the_supervise_permission(client, org, traveller):
    login(client, org, "scjg-reviewer")
    for name in (
        "supervision",
        "supervision_board",
        "supervision_forecast",
        "supervision_rules",
        "supervision_orders",
        "supervision_accountability",
    ):
        assert client.get(reverse(f"web:{name}")).status_code == 403, name
    assert client.post(reverse("web:supervision_sweep")).status_code == 403
    client.logout()
    assert client.get(reverse("web:supervision")).status_code == 302  # to the login page


def test_sweep_button_raises_a_red_flag_shown_on_the_board(client, org, food, traveller):
    case = intake(org, food)
    login(client, org, "supervisor")
    page = texts(client.get(reverse("web:supervision")))
    assert case.display_number not in page
    traveller.move_to(dt.datetime(2026, 3, 24, 2, 0, tzinfo=dt.UTC))
    login(client, org, "supervisor")  # three weeks later the session has expired
    response = client.post(reverse("web:supervision_sweep"), follow=True)
    assert response.status_code == 200
    assert "notice-ok" in texts(response)
    assert Flag.objects.filter(case=case, level="red").exists()
    page = texts(client.get(reverse("web:supervision")))
    assert f'href="{reverse("web:case", args=[case.display_number])}"' in page
    assert 'data-flag-level="red"' in page
    board = texts(client.get(reverse("web:supervision_board")))
    assert 'hx-trigger="every 30s"' in board
    case.refresh_from_db()
    assert case.level == 2
    # the case page and the worklist show the red card
    detail = texts(client.get(reverse("web:case", args=[case.display_number])))
    assert 'data-testid="case-level-red"' in detail


def test_flag_filters(client, org, food, tax, traveller):
    mine = intake(org, food)
    theirs = intake(org, tax)
    late_and_swept(traveller)
    login(client, org, "supervisor")
    url = reverse("web:supervision")
    both = flag_table(client.get(url))
    assert mine.display_number in both and theirs.display_number in both
    only_sw = flag_table(client.get(url, {"department": "SW"}))
    assert theirs.display_number in only_sw and mine.display_number not in only_sw
    only_item = flag_table(client.get(url, {"item": "SC001"}))
    assert mine.display_number in only_item and theirs.display_number not in only_item
    red = flag_table(client.get(url, {"level": "red"}))
    assert 'data-flag-level="red"' in red and 'data-flag-level="yellow"' not in red
    yellow = flag_table(client.get(url, {"level": "yellow"}))
    assert 'data-flag-level="red"' not in yellow
    too_old = flag_table(client.get(url, {"age": "30"}))
    assert 'data-flag-level="red"' not in too_old
    recent = flag_table(client.get(url, {"age": "0"}))
    assert mine.display_number in recent
    # handler: the account assigned to the step; an unknown account matches nothing
    nobody = flag_table(client.get(url, {"handler": "no-such-account"}))
    assert mine.display_number not in nobody and theirs.display_number not in nobody
    bad = client.get(url, {"age": "-3"})
    assert bad.status_code == 200 and "notice-error" in texts(bad)


def test_forecast_lists_what_will_be_late(client, org, food, traveller):
    case = intake(org, food)
    login(client, org, "supervisor")
    url = reverse("web:supervision_forecast")
    default = texts(client.get(url))
    assert (
        next_friday_evening(dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)).strftime("%Y-%m-%dT17:30")
        in default
    )
    page = texts(client.get(url, {"at": "2026-03-30T17:30"}))
    red_table = page.split('data-testid="forecast-red"')[1].split("</table>")[0]
    assert case.display_number in red_table
    soon = texts(client.get(url, {"at": "2026-03-03T17:30"}))
    assert case.display_number not in soon.split('data-testid="forecast-red"')[1].split("</table>")[0]
    bad = client.get(url, {"at": "next friday"})
    assert bad.status_code == 200 and "errorlist" in texts(bad)


def test_next_friday_evening():
    monday = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
    assert next_friday_evening(monday).strftime("%Y-%m-%d %H:%M") == "2026-03-06 17:30"
    friday_night = dt.datetime(2026, 3, 6, 12, 0, tzinfo=dt.UTC)  # 20:00 in Shanghai
    assert next_friday_evening(friday_night).strftime("%Y-%m-%d %H:%M") == "2026-03-13 17:30"


def test_order_issue_reply_send_back_and_close(client, org, food, traveller):
    case = intake(org, food)
    login(client, org, "supervisor")
    response = client.post(
        reverse("web:supervision_orders"),
        {"case": case.display_number, "demand": "请说明进度", "reply_days": "2"},
        follow=True,
    )
    assert "notice-ok" in texts(response)
    order = SupervisionOrder.objects.get(case=case, issuer=org.user("supervisor"))
    assert order.status == "open"

    chief = login(client, org, "scjg-chief")
    mine = texts(chief.get(reverse("web:supervision_mine")))
    assert "请说明进度" in mine and f'data-testid="reply-{order.pk}"' in mine
    chief.post(reverse("web:supervision_order_reply", args=[order.pk]), {"reply": "已加快办理"})
    order.refresh_from_db()
    assert order.status == "replied" and order.reply == "已加快办理"
    # the department cannot close its own order
    assert (
        chief.post(reverse("web:supervision_order_close", args=[order.pk]), {"note": "x"}).status_code == 403
    )

    login(client, org, "supervisor")
    client.post(reverse("web:supervision_order_send_back", args=[order.pk]), {"note": "请写明完成时间"})
    order.refresh_from_db()
    assert order.status == "open" and order.sent_back_count == 1
    login(client, org, "scjg-chief").post(
        reverse("web:supervision_order_reply", args=[order.pk]), {"reply": "3月5日办结"}
    )
    login(client, org, "supervisor")
    client.post(reverse("web:supervision_order_close", args=[order.pk]), {"note": "同意"})
    order.refresh_from_db()
    assert order.status == "closed"
    # closing again is refused with a clear message, nothing changes
    again = client.post(
        reverse("web:supervision_order_close", args=[order.pk]), {"note": "again"}, follow=True
    )
    assert "notice-error" in texts(again)


def test_order_issue_errors_are_messages(client, org, food, traveller):
    login(client, org, "supervisor")
    unknown = client.post(
        reverse("web:supervision_orders"), {"case": "NOPE", "demand": "x", "reply_days": "2"}, follow=True
    )
    assert "notice-error" in texts(unknown)
    case = intake(org, food)
    empty = client.post(
        reverse("web:supervision_orders"),
        {"case": case.display_number, "demand": "", "reply_days": "0"},
        follow=True,
    )
    assert "notice-error" in texts(empty)
    assert not SupervisionOrder.objects.filter(issuer__isnull=False).exists()


def test_other_departments_never_see_or_answer_an_order(client, org, food, traveller):
    case = intake(org, food)
    login(client, org, "supervisor").post(
        reverse("web:supervision_orders"),
        {"case": case.display_number, "demand": "请说明进度", "reply_days": "2"},
    )
    order = SupervisionOrder.objects.get(case=case)
    sw = login(client, org, "sw-chief")
    assert "请说明进度" not in texts(sw.get(reverse("web:supervision_mine")))
    response = sw.post(reverse("web:supervision_order_reply", args=[order.pk]), {"reply": "x"}, follow=True)
    assert "notice-error" in texts(response)
    order.refresh_from_db()
    assert order.status == "open"


def test_accountability_appeal_and_decision(client, org, red_case):
    record = AccountabilityRecord.objects.filter(case=red_case).first()
    assert record is not None, "a red step generates an accountability record"
    chief = login(client, org, "scjg-chief")
    page = texts(chief.get(reverse("web:supervision_mine")))
    assert f'data-testid="appeal-{record.pk}"' in page
    empty = chief.post(
        reverse("web:supervision_accountability_appeal", args=[record.pk]), {"reason": ""}, follow=True
    )
    assert "notice-error" in texts(empty)
    chief.post(
        reverse("web:supervision_accountability_appeal", args=[record.pk]), {"reason": "申请人未按时补正"}
    )
    record.refresh_from_db()
    assert record.status == "appealed"
    assert (
        login(client, org, "sw-chief")
        .get(reverse("web:supervision_mine"))
        .content.decode()
        .count(f'data-record="{record.pk}"')
        == 0
    )

    login(client, org, "supervisor")
    listing = texts(client.get(reverse("web:supervision_accountability"), {"status": "appealed"}))
    assert f'data-testid="decide-{record.pk}"' in listing
    client.post(
        reverse("web:supervision_accountability_decide", args=[record.pk]),
        {"uphold": "0", "note": "理由成立"},
    )
    record.refresh_from_db()
    assert record.status == "revoked" and record.decision_note == "理由成立"


def test_rules_page_saves_the_center_rule_and_an_item_override(client, org, food, traveller):
    login(client, org, "supervisor")
    url = reverse("web:supervision_rules")
    assert client.get(url).status_code == 200
    response = client.post(url, {"item": "", "yellow_days": "2", "yellow_percent": "25"})
    assert response.status_code == 302
    rule = SupervisionRule.objects.get(center=org.center, item__isnull=True)
    assert (rule.yellow_days, rule.yellow_percent) == (2, 25)
    client.post(url, {"item": "SC001", "yellow_days": "3", "yellow_percent": "10"})
    assert SupervisionRule.objects.get(item=food.item).yellow_days == 3
    bad = client.post(url, {"item": "NOPE", "yellow_days": "3", "yellow_percent": "10"})
    assert (bad.status_code == 422 and "notice-error" in texts(bad)) or "errorlist" in texts(bad)
    out_of_range = client.post(url, {"item": "", "yellow_days": "3", "yellow_percent": "300"})
    assert out_of_range.status_code == 422
