"""The admin: the list shows unconfirmed years, the paste view goes through the service."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from onewindow.calendar import selectors
from onewindow.calendar.models import CalendarDay, CalendarYear
from onewindow.calendar.services import calendar_set_year
from onewindow.core.models import AuditEntry

D = dt.date
PASTE = "admin:calendar_calendaryear_paste"
CHANGELIST = "admin:calendar_calendaryear_changelist"

SCHEDULE_2027 = """放假:
2027-01-01 元旦
2027-02-06..2027-02-13 春节
调休上班:
2027-02-20 春节
"""


@pytest.fixture
def admin_client(client, org):
    user = org.user("centeradmin")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    return client


@pytest.fixture
def viewer_client(client, org):
    user = org.user("supervisor")  # may view the calendar, not change it
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    return client


def test_changelist_shows_unconfirmed_years_clearly(admin_client):
    calendar_set_year(year=2027, holidays=[], adjusted_workdays=[], confirmed=False)
    with time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC), tick=False):
        response = admin_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    content = response.content.decode()
    assert "未确认" in content  # the 2027 row and the warning above the list
    assert "2027 年节假日安排尚未确认" in content
    # the statutory days counted meanwhile (the rule), 除夕 included
    assert "在此之前按法定节假日计算的日期：2027-01-01 元旦、2027-02-05 春节" in content
    assert "2027-10-03 国庆节" in content
    assert "已确认" in content  # the pre-filled years
    assert reverse(PASTE) in content


def test_paste_view_prefills_the_stored_schedule(admin_client):
    response = admin_client.get(reverse(PASTE), {"year": 2026})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["year"] == 2026
    assert form.initial["confirmed"] is True
    assert "2026-02-15..2026-02-23 春节" in form.initial["text"]
    assert "2026-10-10 国庆节" in form.initial["text"]


def test_paste_view_saves_through_the_service(admin_client, org):
    # unconfirmed 2027: 02-05 (除夕) and 02-08 (初三) are statutory holidays by the rule
    assert selectors.due_date(D(2027, 2, 5), 1).value == D(2027, 2, 9)
    response = admin_client.post(
        reverse(PASTE), {"year": "2027", "text": SCHEDULE_2027, "confirmed": "on", "source": "国办发明电"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:calendar_calendaryear_change", args=[2027])
    row = CalendarYear.objects.get(year=2027)
    assert (row.confirmed, row.source, row.updated_by) == (True, "国办发明电", org.user("centeradmin"))
    assert CalendarDay.objects.filter(year=2027, kind="holiday").count() == 9
    entry = AuditEntry.objects.get(action="calendar_year.set", object_id="2027")
    assert entry.actor == org.user("centeradmin")
    # the cached table was invalidated: the next due date skips the Spring Festival
    result = selectors.due_date(D(2027, 2, 5), 1)
    assert (result.value, result.confirmed) == (D(2027, 2, 15), True)
    # the year's page shows the days read-only, with a link back to the paste view
    page = admin_client.get(reverse("admin:calendar_calendaryear_change", args=[2027]))
    assert page.status_code == 200
    assert "2027" in page.content.decode() and f"{reverse(PASTE)}?year=2027" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"text": "放假:\n2027-02-30 春节"}, "text", "第 2 行"),  # a parse error names the line
        ({"text": "调休上班:\n2027-02-10 春节"}, "text", "2027-02-10"),  # a service error names the date
        ({"year": "1999"}, "year", ""),  # the form refuses a year outside 2000–2100
        ({"year": ""}, "year", ""),
    ],
)
def test_paste_view_shows_what_to_fix_and_saves_nothing(admin_client, data, field, fragment):
    audit_count = AuditEntry.objects.count()
    post = {"year": "2027", "text": SCHEDULE_2027, "confirmed": "on", "source": "", **data}
    response = admin_client.post(reverse(PASTE), post)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors and fragment in " ".join(errors)
    assert fragment in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert AuditEntry.objects.count() == audit_count


def test_add_goes_to_the_paste_view(admin_client):
    response = admin_client.get(reverse("admin:calendar_calendaryear_add"))
    assert response.status_code == 302 and response["Location"] == reverse(PASTE)


def test_the_year_page_cannot_be_saved_directly(admin_client):
    url = reverse("admin:calendar_calendaryear_change", args=[2026])
    response = admin_client.post(url, {"confirmed": ""})
    assert response.status_code == 403
    assert CalendarYear.objects.get(year=2026).confirmed is True


def test_a_viewer_sees_the_list_but_cannot_paste(viewer_client):
    assert viewer_client.get(reverse(CHANGELIST)).status_code == 200
    assert viewer_client.get(reverse(PASTE)).status_code == 403
    response = viewer_client.post(reverse(PASTE), {"year": "2027", "text": SCHEDULE_2027, "confirmed": "on"})
    assert response.status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()
