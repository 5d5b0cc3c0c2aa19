"""What people read of the supervision app in Chinese: the statuses of orders and accountability
records (a revoked record is 已撤销, not the 已吊销 of a revoked API token) and the sweep's summary
(no raw counter keys)."""

from __future__ import annotations

from collections import Counter

from django.utils import translation

from onewindow.supervision.models import AccountabilityRecord, SupervisionOrder
from onewindow.supervision.sweep import COUNT_LABELS, SweepResult


def test_a_revoked_accountability_record_reads_revoked_not_cancelled_licence() -> None:
    with translation.override("zh-hans"):
        assert str(AccountabilityRecord.Status.REVOKED.label) == "已撤销"
        record = AccountabilityRecord(status=AccountabilityRecord.Status.REVOKED)
        assert record.get_status_display() == "已撤销"
    with translation.override("en"):
        assert str(AccountabilityRecord.Status.REVOKED.label) == "revoked"


def test_every_order_and_record_status_has_a_chinese_label() -> None:
    with translation.override("zh-hans"):
        for choices in (AccountabilityRecord.Status, SupervisionOrder.Status):
            for member in choices:
                label = str(member.label)
                assert label and not any("a" <= c.lower() <= "z" for c in label), (member, label)


def test_the_sweep_summary_names_each_count_in_chinese() -> None:
    result = SweepResult(counts=Counter({"case_red": 1, "step_yellow": 2, "reminder_sms": 0, "new_kind": 3}))
    with translation.override("zh-hans"):
        summary = result.summary()
    assert summary == "2 个环节临近期限（黄牌，已催办）；1 件办件超过承诺时限（红牌）；其他变化 3 项"
    assert "_" not in summary
    with translation.override("zh-hans"):
        for key, label in COUNT_LABELS.items():
            text = str(label) % {"n": 1}
            assert key not in text and not any("a" <= c.lower() <= "z" for c in text), text
    assert SweepResult().summary() == ""
