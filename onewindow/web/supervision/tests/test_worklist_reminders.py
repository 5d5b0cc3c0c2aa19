"""Reminders (催办) on the worklist: every member of the step's post (in scope) and its handler
sees the reminder with the case number, step, due time and level, and can mark it read; no one
else sees it or can mark it. The rules page switches reminders by SMS on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from onewindow.cases import services as case_services
from onewindow.cases.models import CaseStep
from onewindow.supervision.models import Reminder, SupervisionRule
from onewindow.web.supervision.tests.conftest import intake, late_and_swept

pytestmark = pytest.mark.django_db


def worklist(client, org, name: str) -> str:
    client.force_login(org.user(name))
    response = client.get(reverse("web:worklist"))
    assert response.status_code == 200
    return response.content.decode()


def reminders_panel(page: str) -> str:
    if 'data-testid="worklist-reminders"' not in page:
        return ""
    return page.split('data-testid="worklist-reminders"')[1].split("</section>")[0]


@pytest.fixture
def yellow_review(org, food, traveller):
    """The review step of a food case (SCJG), yellow after a real sweep: one reminder."""
    case = intake(org, food)  # the acceptance finishes 受理: 审查 is active
    review = CaseStep.objects.get(case=case, status="active")
    late_and_swept(traveller, review.warn_at + dt.timedelta(minutes=1))
    review.refresh_from_db()
    assert review.level == 1
    return case, review, Reminder.objects.get(step=review)


def test_the_post_sees_the_reminder_on_its_worklist(client, org, yellow_review):
    case, review, reminder = yellow_review
    panel = reminders_panel(worklist(client, org, "scjg-reviewer"))
    assert f'data-reminder="{reminder.pk}"' in panel
    assert case.display_number in panel and review.name in panel
    local_due = review.due_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert local_due.strftime("%Y-%m-%d %H:%M") in panel
    assert 'data-testid="level-yellow"' in panel
    assert 'data-testid="reminder-count">1<' in panel and "标为已读" in panel  # in Chinese
    # the reviewer's orders-and-reminders page lists it too, without the chief's appeal forms
    mine = client.get(reverse("web:supervision_mine"))
    assert mine.status_code == 200 and f'data-reminder="{reminder.pk}"' in mine.content.decode()
    assert 'data-testid="appeal-' not in mine.content.decode()
    # another department's reviewer and the window clerk (another post) see nothing
    assert reminders_panel(worklist(client, org, "sw-reviewer")) == ""
    assert reminders_panel(worklist(client, org, "clerk")) == ""


def test_marking_read_takes_it_off_the_worklist(client, org, yellow_review):
    _case, _review, reminder = yellow_review
    client.force_login(org.user("sw-reviewer"))
    url = reverse("web:supervision_reminder_read", args=[reminder.pk])
    client.post(url, {"next": reverse("web:worklist")})
    reminder.refresh_from_db()
    assert reminder.read_at is None  # not addressed to them: nothing changes
    client.force_login(org.user("scjg-reviewer"))
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": reverse("web:worklist") + "?scope=mine"})
    assert response.status_code == 302 and response["Location"].endswith("?scope=mine")
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    assert reminders_panel(worklist(client, org, "scjg-reviewer")) == ""
    # marking again changes nothing
    first = reminder.read_at
    client.post(url)
    reminder.refresh_from_db()
    assert reminder.read_at == first


def test_a_finished_step_takes_its_reminder_off(client, org, yellow_review):
    case, _review, reminder = yellow_review
    case.refresh_from_db()
    case_services.case_act(
        case=case, action="pass_step", version=case.version, actor=org.user("scjg-reviewer"), opinion="同意"
    )
    panel = reminders_panel(worklist(client, org, "scjg-reviewer"))
    assert f'data-reminder="{reminder.pk}"' not in panel


def test_rules_page_switches_reminders_by_sms(client, org, food, traveller):
    client.force_login(org.user("supervisor"))
    url = reverse("web:supervision_rules")
    response = client.post(
        url, {"item": "", "yellow_days": "1", "yellow_percent": "20", "remind_by_sms": "on"}
    )
    assert response.status_code == 302
    rule = SupervisionRule.objects.get(center=org.center, item__isnull=True)
    assert rule.remind_by_sms is True
    page = client.get(reverse("web:supervision_rule", args=[rule.pk])).content.decode()
    assert 'name="remind_by_sms"' in page and "checked" in page.split('name="remind_by_sms"')[1].split(">")[0]
    client.post(
        reverse("web:supervision_rule", args=[rule.pk]),
        {"item": "", "yellow_days": "1", "yellow_percent": "20"},
    )
    rule.refresh_from_db()
    assert rule.remind_by_sms is False
