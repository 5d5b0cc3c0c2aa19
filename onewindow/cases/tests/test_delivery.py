"""Pickup and delivery: who collected the result or how it was mailed (CaseDelivery, written with
the deliver event), and the list of results waiting for pickup with its working-day flag."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from onewindow.cases import delivery_selectors as delivery
from onewindow.cases.models import Case, CaseDelivery, CaseEvent
from onewindow.cases.tests.conftest import act, at, item, reach, resident_id
from onewindow.core.errors import ValidationFailed

AGENT_ID = resident_id("32010219851111002")


def details(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, Any]:
    assert isinstance(exc.value.details, dict)
    return exc.value.details


@pytest.mark.django_db
def test_pickup_by_an_authorised_agent_is_recorded_with_the_event(cx: Any) -> None:
    case = reach(cx, item(cx), "completed")
    case = act(
        case,
        "deliver",
        cx.user("clerk"),
        method="pickup",
        recipient_relation="authorised_agent",
        recipient_name="李四",
        recipient_id_number=AGENT_ID.lower(),
        note="凭授权委托书领取",
    )
    assert case.status == "delivered" and case.delivery_method == "pickup"
    row = CaseDelivery.objects.get(case=case)
    assert (row.recipient_name, row.recipient_relation) == ("李四", "authorised_agent")
    assert row.recipient_id_number == AGENT_ID  # stored as given (upper-cased)
    assert row.masked_recipient_id_number == AGENT_ID[:3] + "*" * 11 + AGENT_ID[-4:]
    assert row.delivered_by == cx.user("clerk") and row.delivered_at == case.delivered_at
    assert row.note == "凭授权委托书领取"
    event = CaseEvent.objects.get(case=case, action="deliver")
    assert event.data["recipient_id_number"] == row.masked_recipient_id_number
    assert AGENT_ID not in str(event.data)


@pytest.mark.django_db
def test_pickup_by_the_applicant_takes_their_name_and_id(cx: Any) -> None:
    case = reach(cx, item(cx), "completed")
    case = act(case, "deliver", cx.user("clerk"), method="pickup")
    row = CaseDelivery.objects.get(case=case)
    assert row.recipient_relation == "self"
    assert (row.recipient_name, row.recipient_id_number) == (case.applicant_name, case.applicant_id_number)


@pytest.mark.django_db
def test_pickup_by_someone_else_needs_name_and_a_valid_id(cx: Any) -> None:
    case = reach(cx, item(cx), "completed")
    with pytest.raises(ValidationFailed) as exc:
        act(case, "deliver", cx.user("clerk"), method="pickup", recipient_relation="other")
    assert set(details(exc)) == {"recipient_name", "recipient_id_number"}
    assert exc.value.code == "delivery_invalid"
    bad = AGENT_ID[:17] + ("0" if AGENT_ID[17] != "0" else "1")
    with pytest.raises(ValidationFailed) as exc:
        act(
            case,
            "deliver",
            cx.user("clerk"),
            method="pickup",
            recipient_relation="other",
            recipient_name="王五",
            recipient_id_number=bad,
        )
    assert list(details(exc)) == ["recipient_id_number"]
    with pytest.raises(ValidationFailed) as exc:
        act(case, "deliver", cx.user("clerk"), method="pickup", recipient_relation="cousin")
    assert "recipient_relation" in details(exc)
    with pytest.raises(ValidationFailed) as exc:
        act(case, "deliver", cx.user("clerk"), method="pickup", tracking_number="SF1234567")
    assert list(details(exc)) == ["tracking_number"]
    case.refresh_from_db()
    assert case.status == "completed" and not CaseDelivery.objects.filter(case=case).exists()
    assert not CaseEvent.objects.filter(case=case, action="deliver").exists()


@pytest.mark.django_db
def test_an_enterprise_does_not_collect_in_person(cx: Any) -> None:
    case = reach(cx, item(cx), "completed")
    Case.objects.filter(pk=case.pk).update(applicant_kind="enterprise")
    with pytest.raises(ValidationFailed) as exc:
        act(case, "deliver", cx.user("clerk"), method="pickup", recipient_relation="self")
    assert list(details(exc)) == ["recipient_relation"]
    act(
        case,
        "deliver",
        cx.user("clerk"),
        method="pickup",
        recipient_relation="legal_representative",
        recipient_name="赵六",
        recipient_id_number=AGENT_ID,
    )
    assert CaseDelivery.objects.get(case=case).recipient_relation == "legal_representative"


@pytest.mark.django_db
def test_mail_records_carrier_and_tracking_number(cx: Any) -> None:
    case = reach(cx, item(cx), "completed")
    with pytest.raises(ValidationFailed) as exc:
        act(case, "deliver", cx.user("clerk"), method="mail", carrier="EMS", recipient_name="张三")
    assert set(details(exc)) == {"tracking_number", "recipient_name"}
    with pytest.raises(ValidationFailed) as exc:
        act(case, "deliver", cx.user("clerk"), method="mail", tracking_number="SF 123 456")
    assert list(details(exc)) == ["tracking_number"]
    case = act(
        case, "deliver", cx.user("clerk"), method="mail", carrier="EMS", tracking_number="1180001234567"
    )
    row = CaseDelivery.objects.get(case=case)
    assert (row.method, row.carrier, row.tracking_number) == ("mail", "EMS", "1180001234567")
    assert row.recipient_name == "" and case.tracking_number == "1180001234567"


@pytest.mark.django_db
def test_the_pickup_list_counts_working_days_and_flags_the_late(cx: Any) -> None:
    version = item(cx)
    with at("2026-09-21 10:00"):
        old = reach(cx, version, "completed")  # completed Monday 21 September
    with at("2026-10-09 10:00"):
        recent = reach(cx, version, "completed")
        reach(cx, version, "delivered")  # delivered: not listed
        clerk = cx.user("clerk")
        rows = delivery.waiting_for_pickup(clerk)
        assert [r.case.pk for r in rows] == [old.pk, recent.pk]
        # after Monday 21 Sep: 22-24 Sep, (25 Sep and 1-7 Oct holidays) 28-30 Sep, 8-9 Oct
        assert rows[0].working_days_waiting == 8 and rows[1].working_days_waiting == 0
        assert not rows[0].overdue
        with override_settings(ONEWINDOW_PICKUP_WARN_DAYS=6):
            flagged = delivery.waiting_for_pickup(clerk)
        assert [r.overdue for r in flagged] == [True, False]
        assert delivery.waiting_for_pickup(clerk, window_id=cx.window_a.pk) == []
        assert [r.case.pk for r in delivery.waiting_for_pickup(clerk, window_id=cx.general_window.pk)] == [
            old.pk,
            recent.pk,
        ]
        assert delivery.waiting_windows(clerk) == [(cx.general_window.pk, cx.general_window.name, 2)]
        # outside the data scope: the other department's chief sees none of them
        assert delivery.waiting_for_pickup(cx.user("sw-chief")) == []


@pytest.mark.django_db
def test_delivered_documents_name_the_decision_and_the_certificate(cx: Any) -> None:
    case = reach(cx, item(cx), "delivered")
    documents = delivery.delivered_documents(case)
    assert documents.decision is not None and documents.decision.kind == "decision"
    assert documents.certificate_numbers == ("JY001",)
