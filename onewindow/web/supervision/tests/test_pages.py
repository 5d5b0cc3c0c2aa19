"""The supervision pages: the console after a real sweep, filters, the forecast, orders from
issue to close, accountability appeal and decision, the rules, refusals and scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from onewindow.supervision.models import AccountabilityRecord, Flag, SupervisionOrder, SupervisionRule
from onewindow.web.supervision.forms import next_friday_evening
from onewindow.web.supervision.tests.conftest import intake, late_and_swept
from tests.factories import make_item

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

    # it goes to who must act on the case's active step, not to the department chief
    step = order.step
    assert step is not None and step.status == "active" and order.post_id == step.post_id
    assert not order.to_chief
    who = "clerk" if step.kind == "accept" else "scjg-reviewer"  # the window clerk, or the post
    chief_page = texts(login(client, org, "scjg-chief").get(reverse("web:supervision_mine")))
    assert "请说明进度" not in chief_page
    handler = login(client, org, who)
    mine = texts(handler.get(reverse("web:supervision_mine")))
    assert "请说明进度" in mine and f'data-testid="reply-{order.pk}"' in mine
    handler.post(reverse("web:supervision_order_reply", args=[order.pk]), {"reply": "已加快办理"})
    order.refresh_from_db()
    assert order.status == "replied" and order.reply == "已加快办理"
    # the department cannot close its own order
    assert (
        handler.post(reverse("web:supervision_order_close", args=[order.pk]), {"note": "x"}).status_code
        == 403
    )

    login(client, org, "supervisor")
    client.post(reverse("web:supervision_order_send_back", args=[order.pk]), {"note": "请写明完成时间"})
    order.refresh_from_db()
    assert order.status == "open" and order.sent_back_count == 1
    login(client, org, who).post(
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


def test_board_partial_counts_by_department_window_and_item(client, org, food, tax, traveller):
    intake(org, food)
    intake(org, tax)
    late_and_swept(traveller)
    login(client, org, "supervisor")
    board = texts(client.get(reverse("web:supervision_board")))
    assert '<span class="value" data-testid="total-red">2</span>' in board
    assert '<span class="value" data-testid="total-green">0</span>' in board
    # the case tiles say 件, the step tiles 个环节, and the steps are those of the same open cases
    cases_tiles = board.split('data-testid="case-tiles"')[1].split("</ul>")[0]
    steps_tiles = board.split('data-testid="step-tiles"')[1].split("</ul>")[0]
    assert cases_tiles.count('<span class="unit">件</span>') == 3
    assert steps_tiles.count('<span class="unit">个环节</span>') == 3
    assert '<span class="value" data-testid="step-red">2</span>' in steps_tiles
    steps = board.split('data-testid="board-steps-department"')[1].split("</table>")[0]
    assert "个环节" in steps and "件" not in steps.split("</thead>")[0]
    for key in ("cases-department", "cases-window", "cases-item", "steps-department", "steps-item"):
        assert f'data-testid="board-{key}"' in board, key
    departments = board.split('data-testid="board-cases-department"')[1].split("</table>")[0]
    assert org.dept_a.name in departments and org.dept_b.name in departments
    items = board.split('data-testid="board-cases-item"')[1].split("</table>")[0]
    assert "食品经营许可" in items and "税务登记" in items
    # the whole page is not rendered for the poll
    assert "<html" not in board


def test_console_lists_open_orders_and_deemed_approvals(client, org, traveller):
    version = make_item(org, code="SC009", name="小餐饮登记", promised_limit=10, deemed_approval_days=1)
    case = intake(org, version)
    result = late_and_swept(traveller)
    assert result.counts, "the sweep did something"
    login(client, org, "supervisor")
    page = client.get(reverse("web:supervision"))
    orders = texts(page).split('data-testid="open-orders"')[1].split("</table>")[0]
    order = SupervisionOrder.objects.get(case=case)
    assert f'data-order="{order.pk}"' in orders and case.display_number in orders
    deemed = texts(page).split('data-testid="deemed"')[1].split("</table>")[0]
    assert case.display_number in deemed
    assert 'data-testid="anomalies"' in texts(page)


def test_sweep_message_names_what_it_did(client, org, food, traveller):
    intake(org, food)
    traveller.move_to(dt.datetime(2026, 3, 24, 2, 0, tzinfo=dt.UTC))
    login(client, org, "supervisor")
    first = texts(client.post(reverse("web:supervision_sweep"), follow=True))
    message = first.split("notice-ok")[1].split("</li>")[0]
    assert "监察扫描完成。" in message and "1 件办件超过承诺时限（红牌）" in message
    assert "_" not in message and "case_red" not in message  # no raw counter keys
    second = texts(client.post(reverse("web:supervision_sweep"), follow=True))
    assert "超过承诺时限" not in second.split("notice-ok")[1].split("</li>")[0]
    assert client.get(reverse("web:supervision_sweep")).status_code == 405


def test_rules_edit_an_existing_rule_and_unknown_rule_is_404(client, org, food, traveller):
    login(client, org, "supervisor")
    client.post(reverse("web:supervision_rules"), {"item": "", "yellow_days": "2", "yellow_percent": "25"})
    rule = SupervisionRule.objects.get(center=org.center, item__isnull=True)
    url = reverse("web:supervision_rule", args=[rule.pk])
    form = texts(client.get(url))
    assert 'value="25"' in form and f'data-rule="{rule.pk}"' in form
    response = client.post(
        url, {"item": "", "yellow_days": "4", "yellow_percent": "30", "supervise_instant": "on"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.yellow_days, rule.yellow_percent, rule.supervise_instant) == (4, 30, True)
    assert SupervisionRule.objects.count() == 1
    assert client.get(reverse("web:supervision_rule", args=[rule.pk + 100])).status_code == 404
    unknown = client.post(
        reverse("web:supervision_rules"), {"item": "NOPE", "yellow_days": "3", "yellow_percent": "10"}
    )
    assert unknown.status_code == 422 and "NOPE" in texts(unknown) and "errorlist" in texts(unknown)
    assert SupervisionRule.objects.count() == 1
    # a new rule moves the warning time of the open cases it governs
    case = intake(org, food)
    before = case.warn_at
    client.post(
        reverse("web:supervision_rules"), {"item": "SC001", "yellow_days": "5", "yellow_percent": "0"}
    )
    case.refresh_from_db()
    assert case.warn_at is not None and case.warn_at < before


def test_case_page_links_the_supervisor_to_a_new_order(client, org, food, traveller):
    case = intake(org, food)
    url = reverse("web:case", args=[case.display_number])
    link = f"{reverse('web:supervision_orders')}?case={case.display_number}"
    login(client, org, "supervisor")
    assert link in texts(client.get(url))
    prefilled = texts(client.get(link))
    assert f'value="{case.display_number}"' in prefilled
    login(client, org, "scjg-reviewer")
    assert link not in texts(client.get(url))


def test_department_page_needs_its_right_and_decide_needs_a_choice(client, org, red_case):
    login(client, org, "auditor")  # no step to handle: no order or reminder can go to them
    assert client.get(reverse("web:supervision_mine")).status_code == 403
    login(client, org, "clerk")  # the clerk sees orders about window steps, but cannot appeal
    record = AccountabilityRecord.objects.filter(case=red_case).first()
    assert (
        client.post(
            reverse("web:supervision_accountability_appeal", args=[record.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    # another department cannot appeal it
    sw = login(client, org, "sw-chief")
    refused = sw.post(
        reverse("web:supervision_accountability_appeal", args=[record.pk]), {"reason": "x"}, follow=True
    )
    assert "notice-error" in texts(refused)
    record.refresh_from_db()
    assert record.status == "active"
    # deciding an active record (not appealed) is refused with a message
    login(client, org, "supervisor")
    early = client.post(
        reverse("web:supervision_accountability_decide", args=[record.pk]),
        {"uphold": "1", "note": "x"},
        follow=True,
    )
    assert "notice-error" in texts(early)
    missing = client.post(
        reverse("web:supervision_accountability_decide", args=[record.pk]), {"note": "x"}, follow=True
    )
    assert "notice-error" in texts(missing)
    record.refresh_from_db()
    assert record.status == "active"
    # the system order of the red case is listed for who must act on its step, with the reply form
    order = SupervisionOrder.objects.get(case=red_case)
    assert order.step is not None and not order.to_chief
    who = "clerk" if order.step.kind == "accept" else "scjg-reviewer"
    mine = texts(login(client, org, who).get(reverse("web:supervision_mine")))
    assert f'data-testid="reply-{order.pk}"' in mine
    assert f'data-testid="reply-{order.pk}"' not in texts(
        login(client, org, "scjg-chief").get(reverse("web:supervision_mine"))
    )


def test_board_names_the_online_applications_row(client, org, food):
    """Online applications have no window: the board's window table says so, not "-"."""
    from onewindow.cases.services import case_act, case_submit_online
    from onewindow.cases.tests.conftest import all_materials, applicant

    food.online_allowed = True
    food.save(update_fields=["online_allowed"])
    case = case_submit_online(
        center=org.center, item_code=food.item.code, applicant=applicant(), materials=all_materials(food)
    )
    case = case_act(case=case, action="pre_review_pass", version=case.version, actor=org.user("clerk"))
    case_act(case=case, action="accept", version=case.version, actor=org.user("clerk"))
    login(client, org, "supervisor")
    board = texts(client.get(reverse("web:supervision_board")))
    windows = board.split('data-testid="board-cases-window"')[1].split("</table>")[0]
    assert "网上申报（无窗口）" in windows and ">-<" not in windows
