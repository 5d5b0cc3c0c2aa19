"""Who sees who complained: the handlers and the supervisors; never the respondent window's
staff or the respondent person; the public lookup answers the same "not found" to any wrong
input."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.complaints import selectors, services
from onewindow.complaints.models import Complaint
from onewindow.core.errors import NotFound
from tests.factories import make_user

from .conftest import act, at, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def a01_clerk(cx: Any) -> Any:
    """A clerk of window A01 (the respondent window) who may register complaints and handle
    those of SCJG: even so, never told who complained about their window."""
    return make_user(
        "a01-clerk",
        center=cx.center,
        department=cx.dept_a,
        window=cx.window_a,
        roles=("window_clerk", "chief_representative"),
    )


def test_identity_for_handlers_and_supervisors_only(cx: Any, a01_clerk: Any) -> None:
    with at("2026-11-02 10:00"):
        c = register(cx, department="SCJG").complaint
    full = selectors.complainant(cx.user("scjg-chief"), c)
    assert (full.name, full.phone, full.visible) == ("王五", "13900000005", True)
    assert selectors.complainant(cx.user("supervisor"), c).id_number == "110101199003071234"
    for user in (cx.user("clerk"), a01_clerk):  # the registrar, the respondent window
        seen = selectors.complainant(user, c)
        assert (seen.name, seen.phone, seen.id_number, seen.visible) == (
            "王*",
            "139****0005",
            "110***********1234",
            False,
        )
    # the respondent window's clerk sees the complaint (their department handles it) but may not act
    assert selectors.complaint_for_staff(a01_clerk, c.number) == c
    assert services.allowed_actions(a01_clerk, c) == []
    assert services.allowed_actions(cx.user("scjg-chief"), c) == ["return", "investigate", "answer"]


def test_respondent_person_never_sees_the_complainant(cx: Any) -> None:
    with at("2026-11-02 10:00"):
        c = register(cx, department="SCJG", respondent_window="", respondent_staff="scjg-chief").complaint
    assert not selectors.complainant(cx.user("scjg-chief"), c).visible


def test_out_of_scope_is_not_found(cx: Any) -> None:
    with at("2026-11-02 10:00"):
        c = register(cx, department="SW").complaint
    with pytest.raises(NotFound):
        selectors.complaint_for_staff(cx.user("scjg-chief"), c.number)
    assert list(selectors.worklist(cx.user("scjg-chief"))) == []
    assert list(selectors.worklist(cx.user("sw-chief"))) == [c]
    assert list(selectors.worklist(cx.user("scjg-reviewer"))) == []
    # the registrar sees their own registrations and the ones still to be assigned
    with at("2026-11-02 11:00"):
        other = register(cx, user="supervisor").complaint
    assert set(selectors.worklist(cx.user("clerk"))) == {c, other}
    with at("2026-11-02 12:00"):
        act(other, "assign", cx.user("supervisor"), department="SW")
    assert list(selectors.worklist(cx.user("clerk"))) == [c]


def test_worklist_filters(cx: Any) -> None:
    with at("2026-11-02 10:00"):
        late = register(cx, department="SCJG").complaint
        answered = register(cx, department="SCJG").complaint
        act(answered, "answer", cx.user("scjg-chief"), answer="好")
    supervisor = cx.user("supervisor")
    with at("2026-11-12 10:00"):
        assert list(selectors.worklist(supervisor, overdue=True)) == [late]
        assert list(selectors.worklist(supervisor, status="answered")) == [answered]
        assert set(selectors.worklist(supervisor, status="open")) == {late}
        assert len(selectors.worklist(supervisor, department_id=cx.dept_b.pk)) == 0


def test_public_lookup_same_answer_for_any_wrong_input(cx: Any) -> None:
    with at("2026-11-02 10:00"):
        registered = register(cx)
    c: Complaint = registered.complaint
    found = selectors.public_lookup(c.number.lower(), registered.query_code.lower())
    assert found is not None and found.status == "registered" and found.complainant == "王*"
    wrong = "222222" if registered.query_code != "222222" else "333333"
    assert selectors.public_lookup(c.number, wrong) is None
    assert selectors.public_lookup("TS209901010001", registered.query_code) is None
    assert selectors.public_lookup("", "") is None
    assert selectors.public_lookup(c.number, "") is None
