"""Notices as PDF (cases.notice_pdf): every kind renders, with its number, masked as the page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from onewindow.cases.models import Notice
from onewindow.cases.notice_pdf import notice_pdf, progress_url, title
from tests.applicants import make_person
from tests.online.helpers import act, online_item, person_applicant, window_case
from tests.online.pdftext import content_streams

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False), translation.override("zh-hans"):
        yield


SNAPSHOTS = {
    Notice.Kind.RECEIPT: {},
    Notice.Kind.SPECIAL_PROCEDURE: {
        "kind": "hearing",
        "reason": "听证，联系人13812345678",
        "expected_working_days": 5,
        "expected_end": "2026-03-09",
    },
    Notice.Kind.EXTENSION: {"days": 5, "reason": "情况复杂", "due_date": "2026-04-01"},
    Notice.Kind.DECISION: {"decision": "denied", "reasons": "不符合条件", "rights_statement": "可申请复议。"},
    Notice.Kind.TERMINATION: {"reason": "申请人死亡"},
}


def _notice(case, kind: str, extra: dict) -> Notice:
    base = dict(case.notices.order_by("id").first().data)
    number = f"{case.display_number}-X{case.notices.count() + 1:02d}"
    return Notice.objects.create(case=case, kind=kind, number=number, issued_at=NOW, data={**base, **extra})


def test_every_kind_renders_with_its_number_in_the_text(org):
    version = online_item(org)
    person = make_person()
    accepted = window_case(org, version, person_applicant(person))
    corrected = window_case(org, version, person_applicant(person), action="correct")
    refused = window_case(org, version, person_applicant(person), action="refuse")
    notices = [
        accepted.notices.get(kind=Notice.Kind.ACCEPTANCE),
        corrected.notices.get(kind=Notice.Kind.CORRECTION),
        refused.notices.get(kind=Notice.Kind.REFUSAL),
    ]
    notices += [_notice(accepted, kind, extra) for kind, extra in SNAPSHOTS.items()]
    notices.append(
        _notice(accepted, Notice.Kind.DECISION, {"decision": "granted", "decided_on": "2026-03-02"})
    )
    assert {n.kind for n in notices} == set(Notice.Kind.values)
    for notice in notices:
        pdf = notice_pdf(notice)
        assert pdf.startswith(b"%PDF-")
        text = content_streams(pdf)
        assert f"({notice.number})".encode() in text, notice.kind
        assert notice.number.encode() in pdf  # the document's subject, too
        number = notice.data.get("case_number") or notice.data.get("receipt_number")
        assert f"({number})".encode() in text
        assert progress_url(number).encode() in text  # the QR code's address, printed beside it


def test_the_same_notice_gives_the_same_bytes_and_the_title_of_its_kind(org):
    version = online_item(org)
    case = window_case(org, version, person_applicant(make_person()))
    notice = case.notices.get(kind=Notice.Kind.ACCEPTANCE)
    assert notice_pdf(notice) == notice_pdf(notice)
    assert title(notice) == "受理通知书"


def test_personal_numbers_typed_into_reasons_are_masked(org):
    version = online_item(org)
    person = make_person()
    case = window_case(org, version, person_applicant(person))
    act(case, "pass_step", org.user("scjg-reviewer"))
    act(
        case,
        "start_special_procedure",
        org.user("scjg-approver"),
        kind="hearing",
        reason="联系13812345678，证件110101199003071234",
    )
    notice = case.notices.get(kind=Notice.Kind.SPECIAL_PROCEDURE)
    pdf = notice_pdf(notice)
    # the Chinese text is drawn in the CID font (two bytes a character): look for the digits' codes
    text = content_streams(pdf)
    assert "13812345678".encode("utf-16-be").hex().encode() not in text.lower()
    assert b"13812345678" not in text and b"110101199003071234" not in text
    assert person.id_number.encode() not in pdf
