"""ID numbers and phones are masked everywhere except through an audited reveal."""

from __future__ import annotations

import json
from typing import Any

import pytest

from onewindow.cases import selectors, services
from onewindow.cases.models import CaseEvent, Notice
from onewindow.cases.tests.conftest import intake, item, resident_id
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry

FULL_ID = resident_id()
PHONE = "13812345678"


@pytest.mark.django_db
def test_str_events_notices_and_audit_are_masked(cx: Any) -> None:
    agent = {"name": "李四", "id_number": "11010519491231002X", "phone": "13900001111"}
    case = intake(cx, item(cx), channel="agent", agent=agent)
    assert FULL_ID not in str(case) and "110***********" in str(case)
    assert case.masked_phone == "138****5678"
    assert case.masked_agent_id_number == "110***********002X"
    blobs = [json.dumps(e.data, ensure_ascii=False) for e in CaseEvent.objects.filter(case=case)]
    blobs += [json.dumps(n.data, ensure_ascii=False) for n in Notice.objects.filter(case=case)]
    blobs += [e.object_repr + json.dumps(e.after) for e in AuditEntry.objects.all()]
    for blob in blobs:
        assert FULL_ID not in blob and PHONE not in blob and "11010519491231002X" not in blob
    receive = CaseEvent.objects.get(case=case, action="receive")
    assert receive.data["applicant"]["id_number"] == "110***********" + FULL_ID[-4:]
    assert receive.data["applicant"]["phone"] == "138****5678"


@pytest.mark.django_db
def test_reveal_is_audited_and_needs_a_reason(cx: Any) -> None:
    case = intake(cx, item(cx))
    with pytest.raises(ValidationFailed):
        services.case_reveal_applicant(case=case, actor=cx.user("clerk"), reason=" ")
    with pytest.raises(PermissionDenied):
        services.case_reveal_applicant(case=case, actor=cx.user("auditor"), reason="查看")
    with pytest.raises(PermissionDenied):
        services.case_reveal_applicant(case=case, actor=cx.user("sw-reviewer"), reason="查看")
    assert not AuditEntry.objects.filter(action="case.reveal_applicant").exists()
    full = services.case_reveal_applicant(case=case.number, actor=cx.user("scjg-reviewer"), reason="核实身份")
    assert full["applicant_id_number"] == FULL_ID and full["applicant_phone"] == PHONE
    entry = AuditEntry.objects.get(action="case.reveal_applicant")
    assert entry.actor == cx.user("scjg-reviewer") and entry.after["reason"] == "核实身份"


@pytest.mark.django_db
def test_list_display_values_are_masked(cx: Any) -> None:
    intake(cx, item(cx))
    row = selectors.cases_for(cx.user("clerk")).get()
    assert row.masked_id_number.startswith("110") and "*" in row.masked_id_number
    assert FULL_ID not in str(row)
