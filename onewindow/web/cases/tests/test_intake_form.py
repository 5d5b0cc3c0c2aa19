"""The intake form (issue 11 §1.6): every error in one round, the enterprise applicant, select
all materials, the green channel, the item picker per window, instant items."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse

from onewindow.cases.applicants import uscc_check
from onewindow.cases.models import Case, CaseEvent
from tests.factories import make_item, make_user

from .conftest import ID_NUMBER
from .test_pages import HTMX, intake_form

pytestmark = pytest.mark.django_db

USCC = "91350100M00010017"[:17] + uscc_check("91350100M00010017"[:17])
BAD_USCC = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")


def errors_of(html: str) -> set[str]:
    return set(re.findall(r'data-testid="error-([a-z0-9_]+)"', html))


def test_every_field_error_is_shown_in_one_round_and_the_input_is_kept(client, cx, food):
    client.force_login(cx.user("clerk"))
    first = food.materials.order_by("position").first()
    data = intake_form(
        food,
        "refuse",
        applicant_name="",  # the form's own check
        applicant_phone="12345",  # a service rule
        applicant_id_number=ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1"),
        applicant_address="人民路8号",
        agent_name="李四",
        agent_id_number="123",
        agent_phone="999",
        green_channel="on",  # no handler
        **{f"m{first.pk}_copies": "0"},
    )
    response = client.post(reverse("web:intake"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert {
        "applicant_name",
        "applicant_phone",
        "applicant_id_number",
        "agent_id_number",
        "agent_phone",
        "green_channel_handler",
        "note",  # the refusal's reason
    } <= errors_of(html)
    assert f'name="m{first.pk}_copies"' in html
    assert 'value="人民路8号"' in html and 'value="李四"' in html  # what was typed stays
    assert Case.objects.count() == 0


def test_missing_required_material_and_the_applicant_are_reported_together(client, cx, food):
    client.force_login(cx.user("clerk"))
    required = [m for m in food.materials.all() if m.requirement == "required"]
    assert required
    data = intake_form(food, applicant_phone="2345")
    for m in required:
        data.pop(f"m{m.pk}_received")
    response = client.post(reverse("web:intake"), data)
    assert response.status_code == 422
    found = errors_of(response.content.decode())
    assert "applicant_phone" in found and "note" in found
    assert {f"m{m.pk}_received" for m in required} <= found


def test_correction_without_notes_and_bad_applicant_together(client, cx, food):
    client.force_login(cx.user("clerk"))
    first = food.materials.order_by("position").first()
    response = client.post(
        reverse("web:intake"), intake_form(food, "correct", applicant_phone="1", **{f"c{first.pk}": "on"})
    )
    assert response.status_code == 422
    found = errors_of(response.content.decode())
    assert {"applicant_phone", f"c{first.pk}_note"} <= found


def test_enterprise_gives_its_credit_code_and_legal_representative(client, cx, food):
    client.force_login(cx.user("clerk"))
    base = {
        "applicant_kind": "enterprise",
        "applicant_name": "某某餐饮有限公司",
        # sent by the page without JavaScript: the person's ID type is read as the credit code
        "applicant_id_type": "resident_id",
    }
    response = client.post(reverse("web:intake"), intake_form(food, **base, applicant_id_number=BAD_USCC))
    assert response.status_code == 422
    html = response.content.decode()
    assert {"applicant_id_number", "applicant_legal_rep_name"} <= errors_of(html)
    assert "统一社会信用代码" in html
    response = client.post(
        reverse("web:intake"),
        intake_form(
            food,
            **base,
            applicant_id_number=USCC,
            applicant_legal_rep_name="王五",
            applicant_legal_rep_id_number="123",
        ),
    )
    assert response.status_code == 422
    assert "applicant_legal_rep_id_number" in errors_of(response.content.decode())
    response = client.post(
        reverse("web:intake"),
        intake_form(
            food,
            **base,
            applicant_id_number=USCC.lower(),
            applicant_legal_rep_name="王五",
            applicant_legal_rep_id_number=ID_NUMBER,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    assert (case.applicant_kind, case.applicant_id_type, case.applicant_id_number) == (
        "enterprise",
        "uscc",
        USCC,
    )
    assert (case.legal_rep_name, case.legal_rep_id_number) == ("王五", ID_NUMBER)
    # the case page's include shows the representative with the ID number masked
    shown = render_to_string("web/cases/_applicant_extra.html", {"case": case})
    assert "王五" in shown and case.masked_legal_rep_id_number in shown and ID_NUMBER not in shown
    revealed = render_to_string(
        "web/cases/_applicant_extra.html", {"case": case, "revealed": {"legal_rep_id_number": ID_NUMBER}}
    )
    assert ID_NUMBER in revealed


def test_a_person_has_no_legal_representative(client, cx, food):
    client.force_login(cx.user("clerk"))
    response = client.post(reverse("web:intake"), intake_form(food, applicant_legal_rep_name="王五"))
    assert response.status_code == 302
    assert Case.objects.get().legal_rep_name == ""


def test_select_all_materials_works_without_javascript(client, cx, food):
    client.force_login(cx.user("clerk"))
    page = client.get(reverse("web:intake"), {"item": food.item.code}).content.decode()
    assert 'name="all_received"' in page and "web/intake.js" in page
    data = intake_form(food, all_received="on")
    for m in food.materials.all():
        data.pop(f"m{m.pk}_received")
    response = client.post(reverse("web:intake"), data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == "accepted"
    assert all(row.received for row in case.materials.all())


def test_the_green_channel_records_handler_and_reason(client, cx, food):
    client.force_login(cx.user("clerk"))
    handler = cx.user("scjg-reviewer")
    response = client.post(
        reverse("web:intake"),
        intake_form(
            food, green_channel="on", green_channel_handler=str(handler.pk), green_channel_reason="重点项目"
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.green_channel and case.green_channel_handler == handler
    assert case.green_channel_reason == "重点项目"
    assert "重点项目" in render_to_string("web/cases/_applicant_extra.html", {"case": case})
    received = CaseEvent.objects.filter(case=case).order_by("id").first()
    assert received is not None and received.data["green_channel_reason"] == "重点项目"
    # without the flag, a reason is not kept
    client.post(reverse("web:intake"), intake_form(food, green_channel_reason="无"))
    assert Case.objects.order_by("-id").first().green_channel_reason == ""


def test_the_item_picker_offers_only_what_this_window_may_accept(client, cx, food, tax):
    clerk_a = make_user(
        "clerk-a", center=cx.center, roles=("window_clerk",), posts=[cx.posts["accept"]], window=cx.window_a
    )
    client.force_login(clerk_a)
    found = client.get(reverse("web:intake_items"), {"q": "登记"}, **HTMX).content.decode()
    assert "SW001" not in found
    found = client.get(reverse("web:intake_items"), {"q": "食品"}, **HTMX).content.decode()
    assert "SC001" in found
    page = client.get(reverse("web:intake")).content.decode()
    assert f'value="{cx.dept_b.code}"' not in page and f'value="{cx.dept_a.code}"' in page
    response = client.get(reverse("web:intake"), {"item": "SW001"})
    assert response.status_code == 403
    assert 'data-testid="intake-form"' not in response.content.decode()
    # the general window sees every department
    client.force_login(cx.user("clerk"))
    found = client.get(reverse("web:intake_items"), {"q": "登记"}, **HTMX).content.decode()
    assert "SW001" in found


def test_instant_items_say_completed_on_the_spot(client, cx):
    version = make_item(
        cx, code="SC009", name="营业执照补领", handling_type="instant", legal_limit=0, promised_limit=0
    )
    client.force_login(cx.user("clerk"))
    page = client.get(reverse("web:intake"), {"item": "SC009"}).content.decode()
    assert "当场办结" in page and "0 个工作日" not in page
    found = client.get(reverse("web:intake_items"), {"q": "SC009"}, **HTMX).content.decode()
    assert "当场办结" in found
    rendered = Template(
        "{% load case_format %}{{ v|time_limit }}|{{ p|time_limit }}|{{ p|time_limit:'promised' }}"
    )
    promised = make_item(cx, code="SC010", promised_limit=5, legal_limit=20)
    text = rendered.render(Context({"v": version, "p": promised}))
    assert text == "当场办结|5 个工作日|承诺 5 个工作日"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-12-07", "2026年12月7日"), ("2027-01-01T09:00:00+08:00", "2027年1月1日"), ("", ""), (None, "")],
)
def test_cn_date(value: Any, expected: str) -> None:
    assert Template("{% load case_format %}{{ d|cn_date }}").render(Context({"d": value})) == expected
