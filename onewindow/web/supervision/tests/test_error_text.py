"""Domain errors on the supervision pages show translated texts only, never field keys or codes."""

from __future__ import annotations

from onewindow.core.errors import InvalidTransition, ValidationFailed
from onewindow.web.supervision.views import error_text


def test_field_messages_without_their_english_keys():
    exc = ValidationFailed(
        "请输入处理要求。", details={"demand": ["必填。"], "reply_days": ["请输入 1 至 30。"]}
    )
    assert error_text(exc) == "请输入处理要求。 必填。 请输入 1 至 30。"


def test_status_codes_in_details_are_left_out():
    exc = InvalidTransition("只有有效的问责记录可以申诉。", details={"status": "appealed"})
    assert error_text(exc) == "只有有效的问责记录可以申诉。"


def test_a_field_message_repeating_the_message_is_shown_once():
    assert error_text(ValidationFailed("必填。", details={"note": ["必填。"]})) == "必填。"
