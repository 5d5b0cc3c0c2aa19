"""Bundle cases (一件事办件) in the demo history (onewindow.demo.history_bundles): written through
the approvals and cases services with the history's moving clock, in every status the demo
wants to show, once."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.approvals.models import BundleCase, BundleCasePhase
from onewindow.approvals.progress import is_done
from onewindow.cases.applicants import is_valid_mobile, is_valid_resident_id, is_valid_uscc
from onewindow.cases.facts import Status
from onewindow.cases.models import Case
from onewindow.core import audit
from onewindow.core.models import AuditEntry
from onewindow.demo.data.bundles import ENTERPRISE_OPENING
from onewindow.demo.history import BUNDLES_MARKER, MARKER, history_written, load_history
from onewindow.demo.loader import load_demo
from onewindow.org.models import Center
from onewindow.supervision.models import Reminder, SupervisionOrder

pytestmark = pytest.mark.django_db

SH = dt.timezone(dt.timedelta(hours=8))
UNTIL = dt.datetime(2026, 12, 7, 11, 0, tzinfo=SH)
S = BundleCase.Status


@pytest.fixture
def center() -> Center:
    load_demo(history=False)
    return Center.objects.get(code="SFS")


def _bundles(code: str, status: str | None = None):  # type: ignore[no-untyped-def]
    qs = BundleCase.objects.filter(bundle_code=code)
    return qs.filter(status=status) if status else qs


def test_the_history_has_bundle_cases_in_every_status_and_writes_them_once(center):
    summary = load_history(center=center, count=40, until=UNTIL)
    assert summary.bundle_cases == 13
    assert not [key for key in summary.fallbacks if key.startswith("stopped")]
    assert any("Bundle cases" in line or "一件事" in line for line in summary.lines())

    # 企业开办一件事: most delivered within the day, one decided and waiting, one open today
    assert 8 <= _bundles("QYKB").count() <= 12
    delivered = _bundles("QYKB", S.DELIVERED)
    assert delivered.count() >= 6
    for bundle_case in delivered:
        assert bundle_case.accepted_at is not None and bundle_case.delivered_at is not None
        assert bundle_case.decided_at is not None and bundle_case.decided_at <= bundle_case.due_at
        assert bundle_case.delivered_at.date() == bundle_case.accepted_at.date()
    denied = [b for b in delivered if b.sub_cases.filter(case__decision=Case.Decision.DENIED).exists()]
    assert len(denied) == 1
    assert _bundles("QYKB", S.DECIDED).count() == 1
    today = _bundles("QYKB", S.IN_PROGRESS).get()
    assert today.accepted_at.date() == UNTIL.date()
    assert [s for s in today.sub_cases.select_related("case") if not is_done(s.case)]

    # the situation answers chose the items; the form and materials are the bundle's
    listed = {m["name"] for m in ENTERPRISE_OPENING["materials"]}
    for bundle_case in _bundles("QYKB"):
        codes = set(bundle_case.sub_cases.values_list("item_code", flat=True))
        assert "SCJG-001" in codes
        for key, code in (("seal", "GA-011"), ("invoice", "SW-005"), ("staff", "RS-003")):
            assert (bundle_case.answers[key] == "yes") == (code in codes)
        assert {m["name"] for m in bundle_case.materials if m["received"]} <= listed
        assert bundle_case.form["enterprise_name"] == bundle_case.applicant_name
    assert len({tuple(sorted(b.answers.items())) for b in _bundles("QYKB")}) >= 4

    # 工业建设项目审批: one delivered, one held up in 施工许可 by a late sub-case
    assert _bundles("GYJS", S.DELIVERED).count() == 1
    held = _bundles("GYJS", S.IN_PROGRESS).get()
    phase = held.phases.get(status=BundleCasePhase.Status.OPEN)
    assert phase.name == "施工许可"
    late = [
        s.case
        for s in phase.sub_cases.select_related("case")
        if s.case is not None and not is_done(s.case) and s.case.due_at < UNTIL
    ]
    assert [c.item_version.item.code for c in late] == ["ZJ-001"]
    assert held.phases.filter(status=BundleCasePhase.Status.WAITING).count() == 1
    assert (
        Reminder.objects.filter(case=late[0]).exists()
        or SupervisionOrder.objects.filter(case=late[0]).exists()
    )

    # 带方案出让: in progress, in the merged 工程建设许可 + 施工许可 phase
    scheme = _bundles("GYJS-FA", S.IN_PROGRESS).get()
    phases = {p.name: p for p in scheme.phases.all()}
    assert phases["工程建设许可"].status == BundleCasePhase.Status.OPEN
    assert phases["施工许可"].opened_at == phases["工程建设许可"].opened_at is not None
    assert phases["竣工验收"].status == BundleCasePhase.Status.WAITING

    # every sub-case is a joint case of its own department; the decided bundles' are all done
    for bundle_case in BundleCase.objects.all():
        for sub in bundle_case.sub_cases.select_related("case"):
            if sub.case is None:
                assert bundle_case.status == S.IN_PROGRESS
                continue
            assert sub.case.joint and sub.case.department_id == sub.department_id
            assert sub.case.item_version.item.code == sub.item_code
            if bundle_case.status in (S.DECIDED, S.DELIVERED):
                assert is_done(sub.case) or sub.case.status in (Status.COMPLETED, Status.DELIVERED)
        if bundle_case.status == S.DELIVERED:
            assert not bundle_case.sub_cases.exclude(case__status=Status.DELIVERED).exists()

    # fictional but valid applicants
    for bundle_case in BundleCase.objects.all():
        assert bundle_case.applicant_kind == "enterprise"
        assert is_valid_uscc(bundle_case.applicant_id_number)
        assert is_valid_resident_id(bundle_case.legal_rep_id_number)
        assert is_valid_mobile(bundle_case.applicant_phone)

    # written once
    assert history_written(center, BUNDLES_MARKER)
    count, cases = BundleCase.objects.count(), Case.objects.exclude(channel=Case.Channel.ONLINE).count()
    assert load_history(center=center, count=40, until=UNTIL).skipped
    again = load_demo()  # also the online hall's demo (its own online cases), for the first time
    assert again.history is not None and again.history.skipped
    assert BundleCase.objects.count() == count
    assert Case.objects.exclude(channel=Case.Channel.ONLINE).count() == cases
    assert AuditEntry.objects.filter(action=BUNDLES_MARKER).count() == 1


def test_a_history_written_before_the_bundles_gets_only_them(center):
    audit.record(action=MARKER, obj=center, after={"cases": 0})
    summary = load_history(center=center, count=40, until=UNTIL)
    assert summary.cases == 0 and summary.bundle_cases == 13
    assert not Case.objects.filter(joint=False).exists()
    assert BundleCase.objects.count() == 13
    assert load_history(center=center, count=40, until=UNTIL).skipped
