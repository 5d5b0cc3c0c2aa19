import logging

from onewindow.core.masking import (
    MaskingLogFilter,
    mask_free_text,
    mask_id_number,
    mask_phone,
    mask_request_line,
)


def test_mask_id_number():
    assert mask_id_number("110101199003071234") == "110***********1234"
    assert mask_id_number("") == ""


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"


def test_mask_text_finds_ids_and_phones():
    text = "申请人 110101199003071234 电话 13812345678, 编号 DEMO2026"
    assert mask_free_text(text) == "申请人 110***********1234 电话 138****5678, 编号 DEMO2026"


def test_log_filter_masks_arguments():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sms to %s", ("13812345678",), None)
    MaskingLogFilter().filter(record)
    assert record.getMessage() == "sms to 138****5678"


def test_mask_free_text_old_ids_spaced_phones_and_landlines():
    text = "旧证 110101900307123，手机 +86 138 1234 5678，座机 0571-88881234"
    assert mask_free_text(text) == "旧证 110********7123，手机 +86 138****5678，座机 0571-****1234"
    assert mask_free_text("DEMO20260930000001K 2026-03-02 10:00") == "DEMO20260930000001K 2026-03-02 10:00"


def test_mask_request_line_masks_personal_query_values():
    line = '"GET /p/?number=DEMO1&code=1234&name=%E5%BC%A0%E4%B8%89&page=2 HTTP/1.1" 200'
    assert mask_request_line(line) == '"GET /p/?number=DEMO1&code=****&name=%E5%BC%A0*&page=2 HTTP/1.1" 200'


def test_template_filter_masks_unless_revealed():
    from django.template import engines

    template = engines["django"].from_string(
        "{% load masking %}{{ t|mask_free_text }}|{{ t|mask_free_text:r }}"
    )
    assert template.render({"t": "电话13812345678", "r": True}) == "电话138****5678|电话13812345678"
