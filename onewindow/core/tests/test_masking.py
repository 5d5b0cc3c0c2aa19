import logging

from onewindow.core.masking import MaskingLogFilter, mask_id_number, mask_phone, mask_text


def test_mask_id_number():
    assert mask_id_number("110101199003071234") == "110***********1234"
    assert mask_id_number("") == ""


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"


def test_mask_text_finds_ids_and_phones():
    text = "申请人 110101199003071234 电话 13812345678, 编号 DEMO2026"
    assert mask_text(text) == "申请人 110***********1234 电话 138****5678, 编号 DEMO2026"


def test_log_filter_masks_arguments():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sms to %s", ("13812345678",), None)
    MaskingLogFilter().filter(record)
    assert record.getMessage() == "sms to 138****5678"
