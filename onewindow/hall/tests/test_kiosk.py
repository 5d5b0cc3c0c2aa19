"""The ticket dispenser: sign-in, the buttons, issuing (priority, phone, cap, hours), the
appointment check-in, the print page, reprint and void."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from onewindow.appointments.models import Booking, BusinessType
from onewindow.appointments.tests.conftest import Hall, book, hall  # noqa: F401  (the fixture)
from onewindow.cases.tests.conftest import at
from onewindow.core.errors import Conflict, PermissionDenied
from onewindow.hall import printing
from onewindow.hall.models import Ticket, TicketEvent
from onewindow.org.models import Center
from tests.factories import make_user

KIOSK = "/hall/kiosk/"


@pytest.fixture
def kiosk(hall: Hall):  # noqa: F811
    return make_user("kiosk", center=hall.org.center, roles=("ticket_dispenser",))


@pytest.fixture
def signed_in(client, kiosk):  # type: ignore[no-untyped-def]
    client.force_login(kiosk)
    return client


def issue(client, business: BusinessType, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("portal:hall_kiosk_issue"), {"business": business.pk, **extra})


def test_sign_in_and_permission(client, hall) -> None:  # noqa: F811
    answer = client.get(KIOSK)
    assert answer.status_code == 302 and answer["Location"].startswith("/staff/login/?next=/hall/kiosk/")
    client.force_login(hall.org.user("auditor"))
    assert client.get(KIOSK).status_code == 403


def test_buttons_are_the_centers_active_businesses(signed_in, hall) -> None:  # noqa: F811
    BusinessType.objects.create(center=hall.org.center, letter="B", name="税务业务", active=False)
    other = Center.objects.create(code="OTHER", name="另一个中心", level=Center.Level.CITY)
    BusinessType.objects.create(center=other, letter="C", name="别处业务")
    with at("2026-12-08 09:00"):
        page = signed_in.get(KIOSK).content.decode()
    assert "市场监管业务" in page and "税务业务" not in page and "别处业务" not in page
    assert "A01" in page


def test_issue_prints_the_ticket_with_a_qr_code(signed_in, hall, kiosk) -> None:  # noqa: F811
    with at("2026-12-08 09:00"):
        answer = issue(signed_in, hall.business, phone="138 0013 8000")
        ticket = Ticket.objects.get()
        assert answer.status_code == 302 and answer["Location"] == f"/hall/kiosk/ticket/{ticket.pk}/?print=1"
        page = signed_in.get(answer["Location"]).content.decode()
    assert "A001" in page and "<svg" in page and "/hall/wait/" in page and 'data-autoprint="1"' in page
    ticket.refresh_from_db()
    assert ticket.prints == 1 and ticket.phone == "13800138000" and ticket.source == "kiosk"
    assert list(ticket.events.values_list("kind", flat=True)) == ["issued", "printed"]


def test_priority_ticket(signed_in, hall) -> None:  # noqa: F811
    with at("2026-12-08 09:00"):
        issue(signed_in, hall.business, priority_reason="elderly")
    ticket = Ticket.objects.get()
    assert ticket.number == "VA001" and ticket.priority and ticket.priority_reason == "elderly"


@pytest.mark.parametrize(
    ("setup", "extra", "status", "message"),
    [
        ("none", {"phone": "12345"}, 422, "11"),
        ("cap", {}, 409, "市场监管业务"),
        ("closed", {}, 422, "08:30"),
    ],
)
def test_errors_say_what_to_do(signed_in, hall, setup, extra, status, message) -> None:  # noqa: F811
    business = hall.business
    if setup == "cap":
        business.daily_ticket_cap = 1
    if setup == "closed":
        business.opens_at, business.closes_at = dt.time(8, 30), dt.time(9, 0)
    business.save()
    with at("2026-12-08 09:00" if setup != "cap" else "2026-12-08 08:00"):
        if setup == "cap":
            issue(signed_in, business)
        answer = issue(signed_in, business, **extra)
    assert answer.status_code == status
    page = answer.content.decode()
    assert 'data-testid="kiosk-error"' in page and message in page.split('data-testid="kiosk-error"')[1]


def test_appointment_check_in_by_code_and_by_id_number(signed_in, hall, kiosk) -> None:  # noqa: F811
    with at("2026-12-07 10:00"):
        first = book(hall, "2026-12-08", "09:00", n=1)
        second = book(hall, "2026-12-08", "10:00", n=2)
        later = book(hall, "2026-12-09", "10:00", n=3)
    url = reverse("portal:hall_kiosk_appointment")
    with at("2026-12-08 08:55"):
        answer = signed_in.post(url, {"query": first.code.lower()})
        assert answer.status_code == 302
        ticket = Ticket.objects.get(booking=first)
        assert ticket.number == "YA001" and ticket.source == "appointment"
        again = signed_in.post(url, {"query": first.code})
        assert again.status_code == 422 and "已签到" in again.content.decode()
        by_id = signed_in.post(url, {"query": second.id_number})
        assert by_id.status_code == 302 and Ticket.objects.filter(booking=second).exists()
        not_today = signed_in.post(url, {"query": later.code})
        assert not_today.status_code == 422 and "2026-12-09" in not_today.content.decode()
        unknown = signed_in.post(url, {"query": "NOSUCH"})
        assert unknown.status_code == 422
    first.refresh_from_db()
    assert first.status == Booking.Status.CHECKED_IN and first.checked_in_by == kiosk


def test_reprint_and_void(signed_in, hall, kiosk) -> None:  # noqa: F811
    with at("2026-12-08 09:00"):
        issue(signed_in, hall.business)
        ticket = Ticket.objects.get()
        signed_in.get(reverse("portal:hall_kiosk_ticket", args=[ticket.pk]))
        assert signed_in.post(reverse("portal:hall_kiosk_reprint", args=[ticket.pk])).status_code == 302
        ticket.refresh_from_db()
        assert ticket.prints == 2
    other = make_user("kiosk2", center=hall.org.center, roles=("ticket_dispenser",))
    with at("2026-12-08 09:02"):
        with pytest.raises(PermissionDenied):
            printing.ticket_void_unprinted(ticket=ticket, actor=other)
        answer = signed_in.post(reverse("portal:hall_kiosk_void", args=[ticket.pk]))
        assert answer.status_code == 302 and answer["Location"].endswith("?voided=A001")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.VOID and ticket.closed_at is not None
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == ["issued", "printed", "reprinted", "voided"]
    with at("2026-12-08 09:03"), pytest.raises(Conflict):
        printing.ticket_reprint(ticket=ticket, actor=kiosk)


def test_void_only_within_minutes(signed_in, hall, kiosk) -> None:  # noqa: F811
    with at("2026-12-08 09:00"):
        issue(signed_in, hall.business)
    ticket = Ticket.objects.get()
    with at("2026-12-08 09:06"):
        with pytest.raises(Conflict) as err:
            printing.ticket_void_unprinted(ticket=ticket, actor=kiosk)
        assert err.value.code == "void_too_late"
        answer = signed_in.post(reverse("portal:hall_kiosk_void", args=[ticket.pk]))
        assert answer.status_code == 409
    assert TicketEvent.objects.filter(kind="voided").count() == 0
