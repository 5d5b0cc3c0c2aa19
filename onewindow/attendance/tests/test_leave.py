"""Leave requests: the length and the chain per kind, the stand-in rule, the certificate, the
official-business allowance, overlaps, permissions, version conflicts, withdrawal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onewindow.attendance import leave_rules as rules
from onewindow.attendance.leave import (
    leave_decide,
    leave_request_create,
    leave_stand_in_name,
    leave_withdraw,
    stand_in_candidates,
)
from onewindow.attendance.leave_selectors import my_requests, worklist
from onewindow.attendance.models import LeaveDecision, LeaveRequest
from onewindow.core import clock
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=clock.zone())  # a Monday


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=clock.zone())


@pytest.fixture
def frozen():
    with clock.frozen_at(NOW) as handle:
        yield handle


@pytest.fixture
def people(org, frozen):
    """A one-clerk window (A01, SCJG: `solo`), a general window with two clerks, a group leader."""
    solo = make_user(
        "solo", center=org.center, department=org.dept_a, roles=("window_clerk",), window=org.window_a
    )
    org.users["solo"] = solo
    org.users["clerk2"] = make_user(
        "clerk2", center=org.center, department=org.dept_a, roles=("window_clerk",), window=org.general_window
    )
    org.users["leader"] = make_user("leader", center=org.center, roles=("group_leader",))
    return org


def create(org, who: str = "clerk", kind: str = "personal", start=None, end=None, **kw):
    user = org.user(who)
    return leave_request_create(
        user=user,
        kind=kind,
        starts_at=start or at(8, 9),
        ends_at=end or at(8, 10),
        reason=kw.pop("reason", "家中有事"),
        actor=kw.pop("actor", user),
        **kw,
    )


def decide(req, who, org, decision="approve", note=""):
    req.refresh_from_db()
    return leave_decide(request=req, decision=decision, note=note, actor=org.user(who), version=req.version)


# -- length, days and chain, per kind × length --------------------------------------------------

PERIODS = {
    # name: (start, end, length, days)
    "one hour": (at(8, 9), at(8, 10), "short", "0"),
    "two hours": (at(8, 15), at(8, 17), "short", "0"),
    "a morning": (at(8, 8, 30), at(8, 12), "half_day", "0.5"),
    "an afternoon": (at(8, 13), at(8, 17, 30), "half_day", "0.5"),
    "a whole day": (at(8, 8, 30), at(8, 17, 30), "days", "1"),
    "two days": (at(8, 8, 30), at(9, 17, 30), "days", "2"),
    "afternoon and next day": (at(8, 13, 30), at(9, 17, 30), "days", "1.5"),
    "over a weekend": (at(11, 9), at(14, 17), "days", "2"),  # Friday to Monday
}

CHAINS = {
    "short": ["group_leader"],
    "half_day": ["group_leader", "supervision"],
    "days": ["home_department", "supervision"],
}


@pytest.mark.parametrize("name", list(PERIODS))
def test_length_and_working_days(people, name):
    start, end, length, days = PERIODS[name]
    assert rules.length_of(start, end) == length
    assert rules.working_days_of(people.center.pk, start, end, length) == Decimal(days)


@pytest.mark.parametrize("kind", ["sick", "personal", "official", "annual", "late", "early"])
@pytest.mark.parametrize("period", ["one hour", "a morning", "two days"])
def test_each_kind_and_length_goes_through_its_chain(people, kind, period):
    start, end, length, _days = PERIODS[period]
    if kind in ("late", "early") and length != "short":
        with pytest.raises(ValidationFailed):
            create(people, "clerk2", kind, start, end)
        return
    if kind == "official" and length == "days":
        with pytest.raises(ValidationFailed) as exc:
            create(people, "clerk2", kind, start, end)
        assert exc.value.code == "official_allowance"
        return
    req = create(people, "clerk2", kind, start, end, certificate=True)
    assert req.length == length
    expected = CHAINS[length]
    assert [s.stage for s in rules.chain_of(req)] == expected
    deciders = {"group_leader": "leader", "home_department": "scjg-chief", "supervision": "supervisor"}
    for stage in expected:
        req.refresh_from_db()
        assert req.stage == stage and req.status == "pending"
        assert req in worklist(people.user(deciders[stage]))
        decide(req, deciders[stage], people)
    req.refresh_from_db()
    assert (req.status, req.stage) == ("approved", "done")
    decisions = list(req.decisions.values_list("stage", "decision"))
    if length == "half_day":
        assert decisions == [("group_leader", "approved"), ("supervision", "recorded")]
    else:
        assert [d[0] for d in decisions] == expected and {d[1] for d in decisions} == {"approved"}


def test_a_person_without_home_department_goes_to_the_supervision_office(people):
    req = create(people, "clerk", "annual", at(8, 8, 30), at(9, 17, 30))
    assert req.stage == "supervision"
    decide(req, "supervisor", people)
    req.refresh_from_db()
    assert req.status == "approved"


def test_late_arrival_longer_than_two_hours_is_refused(people):
    with pytest.raises(ValidationFailed) as exc:
        create(people, kind="late", start=at(8, 9), end=at(8, 12))
    assert "kind" in exc.value.details


# -- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"start": at(8, 10), "end": at(8, 9)}, "ends_at"),
        ({"reason": "  "}, "reason"),
        ({"start": at(12, 9), "end": at(13, 17)}, "ends_at"),  # Saturday and Sunday
        ({"start": at(1, 9) - dt.timedelta(days=40), "end": at(1, 10) - dt.timedelta(days=40)}, "starts_at"),
    ],
)
def test_validation(people, kw, field):
    with pytest.raises(ValidationFailed) as exc:
        create(people, **kw)
    assert field in exc.value.details


@pytest.mark.parametrize(
    ("period", "certificate", "ok"),
    [
        ("one hour", False, True),
        ("a morning", False, False),
        ("two days", False, False),
        ("two days", True, True),
    ],
)
def test_sick_leave_of_half_a_day_or_more_needs_a_certificate(people, period, certificate, ok):
    start, end, *_ = PERIODS[period]
    if ok:
        assert (
            create(people, kind="sick", start=start, end=end, certificate=certificate).certificate
            is certificate
        )
    else:
        with pytest.raises(ValidationFailed) as exc:
            create(people, kind="sick", start=start, end=end, certificate=certificate)
        assert exc.value.code == "certificate_required"


def test_official_business_at_most_one_day_a_month(people):
    create(people, kind="official", start=at(8, 9), end=at(8, 12))  # ½
    create(people, kind="official", start=at(9, 9), end=at(9, 10))  # short: ½
    with pytest.raises(ValidationFailed) as exc:
        create(people, kind="official", start=at(10, 9), end=at(10, 10))
    assert exc.value.code == "official_allowance"
    # a withdrawn one frees its share; another month has its own day
    req = LeaveRequest.objects.get(starts_at=at(9, 9))
    leave_withdraw(request=req, actor=people.user("clerk"), version=req.version)
    create(people, kind="official", start=at(10, 9), end=at(10, 10))
    january = dt.datetime(2027, 1, 5, 8, 30, tzinfo=clock.zone())
    create(people, kind="official", start=january, end=january + dt.timedelta(hours=9))


def test_no_overlap_with_own_pending_or_approved_leave(people):
    first = create(people, start=at(8, 9), end=at(8, 11))
    with pytest.raises(ValidationFailed) as exc:
        create(people, start=at(8, 10), end=at(8, 12))
    assert exc.value.code == "leave_overlap"
    create(people, start=at(8, 11), end=at(8, 12))  # touching is fine
    leave_decide(request=first, decision="reject", note="人手不足", actor=people.user("leader"), version=1)
    create(people, start=at(8, 9), end=at(8, 10))  # a rejected one no longer blocks


# -- the stand-in rule --------------------------------------------------------------------------


def test_a_one_clerk_window_needs_a_stand_in_before_any_approval(people):
    req = create(people, "solo", "annual", at(8, 8, 30), at(9, 17, 30))
    with pytest.raises(Conflict) as exc:
        decide(req, "scjg-chief", people)
    assert exc.value.code == "stand_in_required"
    assert "solo" in exc.value.message
    req.refresh_from_db()
    assert req.stage == "home_department" and req.version == 1
    leave_stand_in_name(
        request=req, stand_in=people.user("clerk2"), actor=people.user("scjg-chief"), version=1
    )
    decide(req, "scjg-chief", people)
    decide(req, "supervisor", people)
    req.refresh_from_db()
    assert req.status == "approved" and req.stand_in == people.user("clerk2")
    assert list(req.decisions.values_list("decision", flat=True)) == ["stand_in", "approved", "approved"]


def test_the_stand_in_rule_also_holds_for_a_half_day_at_the_group_leader(people):
    req = create(people, "solo", "personal", at(8, 8, 30), at(8, 12))
    with pytest.raises(Conflict):
        decide(req, "leader", people)
    leave_stand_in_name(request=req, stand_in=people.user("clerk"), actor=people.user("solo"))
    decide(req, "leader", people)


def test_short_leave_and_windows_with_two_clerks_need_no_stand_in(people):
    req = create(people, "solo", "personal", at(8, 9), at(8, 10))
    decide(req, "leader", people)
    make_user("solo2", center=people.center, roles=("window_clerk",), window=people.window_a)
    req = create(people, "solo", "annual", at(9, 8, 30), at(9, 17, 30))
    decide(req, "scjg-chief", people)
    decide(req, "supervisor", people)


def test_a_reject_needs_no_stand_in(people):
    req = create(people, "solo", "annual", at(8, 8, 30), at(9, 17, 30))
    decide(req, "scjg-chief", people, "reject", "本周窗口业务繁忙")
    req.refresh_from_db()
    assert (req.status, req.stage) == ("rejected", "done")


def test_the_stand_in_must_be_an_available_clerk_of_the_center(people):
    start, end = at(8, 8, 30), at(9, 17, 30)
    names = [u.username for u in stand_in_candidates(people.user("solo"), start, end)]
    # the home department first (its chief representative is seated at a window too)
    assert names == ["clerk2", "scjg-chief", "clerk", "sw-chief"]
    for who in ("solo", "supervisor", "leader"):  # themselves; not window clerks
        with pytest.raises(ValidationFailed):
            create(people, "solo", "annual", start, end, stand_in=people.user(who))
    create(people, "clerk2", "personal", at(9, 13), at(9, 17, 30))  # clerk2 is away then
    with pytest.raises(ValidationFailed) as exc:
        create(people, "solo", "annual", start, end, stand_in=people.user("clerk2"))
    assert "stand_in" in exc.value.details
    req = create(people, "solo", "annual", start, end, stand_in=people.user("clerk"))
    assert req.decisions.get().decision == "stand_in"


def test_who_may_name_a_stand_in(people):
    req = create(people, "solo", "annual", at(8, 8, 30), at(9, 17, 30))
    for who in ("clerk2", "sw-chief", "leader"):
        with pytest.raises(PermissionDenied):
            leave_stand_in_name(request=req, stand_in=people.user("clerk"), actor=people.user(who))
    leave_stand_in_name(request=req, stand_in=people.user("clerk"), actor=people.user("supervisor"))


# -- permissions, versions, withdrawal ----------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "who", "ok"),
    [
        ("short", "leader", True),
        ("short", "supervisor", False),
        ("short", "scjg-chief", False),
        ("short", "clerk2", False),
        ("days", "scjg-chief", True),
        ("days", "sw-chief", False),  # another department
        ("days", "leader", False),
        ("days", "supervisor", False),  # not before the home department signed
    ],
)
def test_who_decides_which_stage(people, length, who, ok):
    start, end = (at(8, 9), at(8, 10)) if length == "short" else (at(8, 8, 30), at(9, 17, 30))
    req = create(people, "solo", "annual" if length == "days" else "personal", start, end)
    if length == "days":
        leave_stand_in_name(request=req, stand_in=people.user("clerk2"), actor=people.user("solo"))
    if ok:
        decide(req, who, people)
        return
    with pytest.raises(PermissionDenied):
        decide(req, who, people)
    assert req not in worklist(people.user(who))


def test_nobody_decides_their_own_leave(people):
    leader = people.user("leader")
    req = leave_request_create(
        user=leader, kind="personal", starts_at=at(8, 9), ends_at=at(8, 10), reason="看病", actor=leader
    )
    with pytest.raises(PermissionDenied) as exc:
        leave_decide(request=req, decision="approve", note="", actor=leader, version=1)
    assert exc.value.code == "own_request"
    assert req not in worklist(leader)


def test_another_center_cannot_decide(people):
    from onewindow.org.models import Center

    other = Center.objects.create(code="OTHER", name="另一中心", level=Center.Level.CITY)
    stranger = make_user("leader-other", center=other, roles=("group_leader",))
    req = create(people)
    with pytest.raises(PermissionDenied):
        leave_decide(request=req, decision="approve", note="", actor=stranger, version=1)
    assert not worklist(stranger).exists()


def test_a_rejection_needs_a_note(people):
    req = create(people)
    with pytest.raises(ValidationFailed):
        decide(req, "leader", people, "reject", "")


def test_a_stale_version_is_a_conflict(people):
    req = create(people, "solo", "annual", at(8, 8, 30), at(9, 17, 30))
    leave_stand_in_name(request=req, stand_in=people.user("clerk2"), actor=people.user("solo"), version=1)
    with pytest.raises(Conflict) as exc:
        leave_decide(request=req, decision="approve", note="", actor=people.user("scjg-chief"), version=1)
    assert exc.value.code == "version_conflict"
    assert LeaveDecision.objects.filter(request=req).count() == 1


def test_withdraw(people):
    req = create(people)
    with pytest.raises(PermissionDenied):
        leave_withdraw(request=req, actor=people.user("leader"), version=1)
    leave_withdraw(request=req, actor=people.user("clerk"), version=1)
    req.refresh_from_db()
    assert (req.status, req.stage) == ("withdrawn", "done")
    with pytest.raises(Conflict):
        leave_withdraw(request=req, actor=people.user("clerk"), version=req.version)
    with pytest.raises(Conflict):
        decide(req, "leader", people)
    assert list(my_requests(people.user("clerk"))) == [req]


def test_a_group_leader_enters_a_request_for_a_clerk(people):
    req = create(people, "clerk2", actor=people.user("leader"))
    assert req.requested_by == people.user("leader")
    with pytest.raises(PermissionDenied):
        create(people, "clerk2", start=at(9, 9), end=at(9, 10), actor=people.user("clerk"))


def test_decisions_record_the_client_address(people):
    from onewindow.core import context

    token = context.set_current(context.RequestContext(ip="10.1.2.3"))
    try:
        req = create(people)
        decide(req, "leader", people)
    finally:
        context.reset(token)
    assert req.decisions.get().client_ip == "10.1.2.3"
