"""Issue 12 §4, masking everywhere (PIPL): ID numbers and phones typed by staff into free text
are masked on public pages, in the public and staff APIs, in staff lists, notices and SMS, and
shown in full only after the logged reveal; access logs (runserver and gunicorn) mask query
strings the same way."""

from __future__ import annotations

import datetime as dt
import io
import logging
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client
from django.urls import reverse

from onewindow.cases import services
from onewindow.cases.applicants import resident_id_check
from onewindow.cases.models import Case, CaseEvent, Notice
from onewindow.core.masking import MaskingLogFilter, mask_free_text, mask_url
from onewindow.core.models import AuditEntry
from onewindow.notifications.models import OutboxMessage
from onewindow.org.services import api_token_issue
from tests.factories import make_item

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai
APPLICANT_ID = "11010119900307123" + resident_id_check("11010119900307123")
APPLICANT_PHONE = "13812345678"
# What a clerk types into a note: someone's ID number and mobile number, in two spellings.
NOTE_ID = "11010519491231002X"
NOTE_PHONE = "13912345678"
NOTE = f"身份证号{NOTE_ID}与原件不符，请联系代办人{NOTE_PHONE}（或 +86 139-1234-5678）"
NOTE_ID_MASKED = "110***********002X"
NOTE_PHONE_MASKED = "139****5678"
FULL = [
    ("受理", "accept", "accept", 1),
    ("审查", "review", "review", 4),
    ("审核", "approve", "approve", 2),
    ("决定", "decide", "decide", 2),
]


@pytest.fixture(autouse=True)
def _frozen_time() -> Any:
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


@pytest.fixture
def food(org: Any) -> Any:
    return make_item(org, code="SC001", name="食品经营许可", steps=FULL)


def intake(org: Any, version: Any, action: str = "accept", **kwargs: Any) -> Case:
    return services.case_intake(
        actor=org.user("clerk"),
        item_code=version.item.code,
        center=org.center,
        applicant={
            "kind": "person",
            "name": "张三",
            "id_type": "resident_id",
            "id_number": APPLICANT_ID,
            "phone": APPLICANT_PHONE,
            "address": "测试市人民路1号",
        },
        channel="window",
        materials=[{"material": m.pk, "received": True} for m in version.materials.all()],
        action=action,
        **kwargs,
    )


def correction_case(org: Any, version: Any) -> Case:
    first = version.materials.first()
    return intake(org, version, action="correct", correction_items=[{"material": first.pk, "note": NOTE}])


def assert_masked(body: str) -> None:
    assert NOTE_ID not in body and NOTE_PHONE not in body and "139-1234-5678" not in body
    assert NOTE_ID_MASKED in body and NOTE_PHONE_MASKED in body


def api(user: Any) -> Client:
    _token, raw = api_token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


# --- the masking function -----------------------------------------------------------------------


def test_mask_free_text_finds_ids_mobiles_and_landlines_in_every_spelling() -> None:
    text = (
        "证 110101199003071234、11010519491231002x、旧证 110101900307123；"
        "手机 13812345678、+86 138 1234 5678、0086-138-1234-5678、138-1234-5678；"
        "座机 0571-88881234、(010) 8888 1234"
    )
    assert mask_free_text(text) == (
        "证 110***********1234、110***********002x、旧证 110********7123；"
        "手机 138****5678、+86 138****5678、0086-138****5678、138****5678；"
        "座机 0571-****1234、(010) ****1234"
    )
    # what is not personal stays: case numbers, dates, times, amounts, short numbers
    kept = "办件 DEMO20260930000001K 于 2026-03-02 10:00 受理，收费 1500000 元，第 12345 号"
    assert mask_free_text(kept) == kept


# --- free text: public pages and the public API ------------------------------------------------


@pytest.mark.django_db
def test_a_correction_note_is_masked_on_the_public_progress_page(client: Client, org: Any, food: Any) -> None:
    case = correction_case(org, food)
    response = client.post(
        reverse("portal:progress"), {"number": case.receipt_number, "code": APPLICANT_PHONE[-4:]}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="progress-corrections"' in body and "与原件不符" in body
    assert_masked(body)


@pytest.mark.django_db
def test_a_correction_note_is_masked_in_the_public_api(client: Client, org: Any, food: Any) -> None:
    case = correction_case(org, food)
    response = client.get(
        "/api/v1/public/progress", {"number": case.receipt_number, "code": APPLICANT_PHONE[-4:]}
    )
    assert response.status_code == 200
    notes = [c["note"] for c in response.json()["corrections"]]
    assert len(notes) == 1 and "与原件不符" in notes[0]
    assert_masked(notes[0])


# --- free text: staff lists, notices, SMS ---------------------------------------------------------


@pytest.mark.django_db
def test_an_extension_reason_is_masked_in_the_worklist(client: Client, org: Any, food: Any) -> None:
    case = intake(org, food)
    services.case_act(
        case=case,
        action="request_extension",
        version=case.version,
        actor=org.user("scjg-reviewer"),
        days=3,
        reason=NOTE,
    )
    client.force_login(org.user("scjg-chief"))
    body = client.get(reverse("web:worklist")).content.decode()
    panel = body.split('data-testid="worklist-approvals"')[1].split("</section>")[0]
    assert case.number in panel and "与原件不符" in panel
    assert_masked(panel)


@pytest.mark.django_db
def test_a_supervision_demand_is_masked_in_the_orders_list_and_the_api(
    client: Client, org: Any, food: Any
) -> None:
    from onewindow.supervision import services as supervision_services

    case = intake(org, food)
    supervision_services.order_issue(case=case, actor=org.user("supervisor"), demand=NOTE, reply_days=2)
    client.force_login(org.user("supervisor"))
    assert_masked(client.get(reverse("web:supervision_orders")).content.decode())
    orders = api(org.user("supervisor")).get("/api/v1/supervision/orders").json()
    assert_masked(orders[0]["demand"] if isinstance(orders, list) else orders["items"][0]["demand"])


@pytest.mark.django_db
def test_the_printed_correction_notice_masks_the_note(client: Client, org: Any, food: Any) -> None:
    case = correction_case(org, food)
    notice = Notice.objects.get(case=case, kind=Notice.Kind.CORRECTION)
    client.force_login(org.user("clerk"))
    response = client.get(reverse("web:case_notice", args=[case.receipt_number, notice.number]))
    assert response.status_code == 200
    assert_masked(response.content.decode())


@pytest.mark.django_db(transaction=True)
def test_a_refusal_reason_is_masked_in_the_sms(org: Any, food: Any) -> None:
    intake(org, food, action="refuse", note=NOTE)
    message = OutboxMessage.objects.get(template_code="case_refused")
    assert message.recipient == APPLICANT_PHONE  # sent to the applicant, of course
    assert "与原件不符" in message.body
    assert_masked(message.body)


# --- free text in full: the case page and the staff API, after the logged reveal -----------------


@pytest.mark.django_db
def test_the_case_page_shows_the_full_note_only_after_the_logged_reveal(
    client: Client, org: Any, food: Any
) -> None:
    case = intake(org, food, note=NOTE)  # the intake note
    services.case_act(
        case=case, action="pass_step", version=case.version, actor=org.user("scjg-reviewer"), opinion=NOTE
    )
    client.force_login(org.user("clerk"))
    url = reverse("web:case", args=[case.number])
    page = client.get(url).content.decode()
    assert 'data-testid="case-note"' in page and "与原件不符" in page
    assert_masked(page)
    assert not AuditEntry.objects.filter(action="case.reveal_applicant").exists()

    response = client.post(reverse("web:case_reveal", args=[case.number]), {"reason": "电话核实补正内容"})
    assert response.status_code == 200
    page = response.content.decode()
    assert NOTE_ID in page and NOTE_PHONE in page and "+86 139-1234-5678" in page
    entry = AuditEntry.objects.get(action="case.reveal_applicant")
    assert entry.actor == org.user("clerk") and entry.object_id == str(case.pk)
    assert "free_text" in entry.after["fields"] and entry.after["reason"] == "电话核实补正内容"
    # the next visit is masked again
    assert_masked(client.get(url).content.decode())


@pytest.mark.django_db
def test_the_staff_api_case_detail_masks_free_text_unless_asked_in_full_and_logged(
    org: Any, food: Any
) -> None:
    case = intake(org, food, note=NOTE)
    services.case_act(
        case=case, action="pass_step", version=case.version, actor=org.user("scjg-reviewer"), opinion=NOTE
    )
    clerk = api(org.user("clerk"))
    url = f"/api/v1/cases/{case.number}"
    body = clerk.get(url).json()
    assert_masked(body["steps"][0]["opinion"])
    assert_masked(str([e["opinion"] for e in body["events"]] + [e["data"] for e in body["events"]]))
    assert NOTE_ID not in str(body) and NOTE_PHONE not in str(body) and APPLICANT_ID not in str(body)

    # in full: a reason is required, and the viewing is written to the audit trail
    missing = clerk.get(url, {"full": "true"})
    assert missing.status_code == 422 and missing.json()["code"] == "validation_failed"
    assert not AuditEntry.objects.filter(action="case.reveal_applicant").exists()
    full = clerk.get(url, {"full": "true", "reason": "核实补正内容"}).json()
    assert full["steps"][0]["opinion"] == NOTE
    assert full["applicant"]["id_number"] == APPLICANT_ID
    entry = AuditEntry.objects.get(action="case.reveal_applicant")
    assert entry.actor == org.user("clerk") and "free_text" in entry.after["fields"]
    # someone who may not see the applicant's full data does not get it by asking
    denied = api(org.user("auditor")).get(url, {"full": "true", "reason": "看看"})
    assert denied.status_code in (403, 404)
    assert AuditEntry.objects.filter(action="case.reveal_applicant").count() == 1


# --- the audit trail: the case events in the admin, object_repr ----------------------------------


@pytest.mark.django_db
def test_the_auditor_reads_case_events_and_audit_entries_masked(client: Client, org: Any, food: Any) -> None:
    case = intake(org, food, note=NOTE)
    services.case_act(
        case=case, action="pass_step", version=case.version, actor=org.user("scjg-reviewer"), opinion=NOTE
    )
    auditor = org.user("auditor")
    auditor.is_staff = True
    auditor.save(update_fields=["is_staff"])
    client.force_login(auditor)
    pages = [
        client.get(reverse("admin:cases_caseevent_change", args=[event.pk])).content.decode()
        for event in CaseEvent.objects.filter(case=case)
    ]
    assert_masked("".join(pages))
    assert any(NOTE_ID_MASKED in page for page in pages)  # the opinion of the step
    # the case as the audit trail names it: number, masked name, masked ID number
    assert str(case) == f"{case.number} 张* (110***********{APPLICANT_ID[-4:]})"
    services.case_reveal_applicant(case=case, actor=org.user("clerk"), reason="核实")
    assert AuditEntry.objects.get(action="case.reveal_applicant").object_repr == str(case)


# --- access logs ------------------------------------------------------------------------------------

LOOKUP = (
    f"/portal/progress/?number=DEMO20260302000001K&code=5678&id_number={APPLICANT_ID}"
    f"&phone=%2B86+{APPLICANT_PHONE}&applicant_name=%E5%BC%A0%E4%B8%89&q={NOTE_PHONE}"
)


def assert_access_line_masked(line: str) -> None:
    assert "DEMO20260302000001K" in line  # the case number is not personal
    for secret in (APPLICANT_ID, APPLICANT_PHONE, NOTE_PHONE, "code=5678", "%E5%BC%A0%E4%B8%89"):
        assert secret not in line, secret
    assert "110***********" + APPLICANT_ID[-4:] in line and "code=****" in line
    assert "applicant_name=%E5%BC%A0*" in line


def test_mask_url_keeps_what_is_not_personal() -> None:
    assert mask_url("/staff/cases/?status=accepted&page=2") == "/staff/cases/?status=accepted&page=2"
    assert (
        mask_url(f"/staff/cases/{APPLICANT_ID}/") == "/staff/cases/110***********" + APPLICANT_ID[-4:] + "/"
    )


@pytest.mark.django_db
def test_the_runserver_access_log_is_masked() -> None:
    """`manage.py serve` runs runserver, which logs every request to the django.server logger."""
    logger = logging.getLogger("django.server")
    assert logger.handlers and not logger.propagate
    stream = io.StringIO()
    handler = logger.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    previous = handler.setStream(stream)
    try:
        request = WSGIRequestHandler.__new__(WSGIRequestHandler)  # no socket: only its logging
        request.request = None
        request.requestline = f"GET {LOOKUP} HTTP/1.1"
        request.client_address = ("127.0.0.1", 50000)
        request.log_request(200, 1234)
    finally:
        handler.setStream(previous)
    line = stream.getvalue()
    assert '" 200 1234' in line
    assert_access_line_masked(line)


def test_the_gunicorn_access_log_is_masked() -> None:
    from gunicorn.config import Config

    from onewindow.conf import gunicorn as gunicorn_conf

    config = Config()
    config.set("accesslog", "-")
    config.set("logger_class", gunicorn_conf.logger_class)
    logger_class = config.logger_class
    assert logger_class is gunicorn_conf.MaskingLogger
    log = logger_class(config)
    stream = io.StringIO()
    for handler in log.access_log.handlers:
        handler.setStream(stream)  # type: ignore[attr-defined]
    path, _sep, query = LOOKUP.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": LOOKUP,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.9",
        "HTTP_REFERER": f"https://zwfw.example.cn{LOOKUP}",
    }
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    log.access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(microseconds=1500))
    line = stream.getvalue()
    assert line.startswith("10.0.0.9 ") and '" 200 1234 ' in line
    assert_access_line_masked(line)
    # a custom format with the query string alone is masked too
    config.set("access_log_format", "%(q)s")
    stream.truncate(0)
    stream.seek(0)
    log.access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(microseconds=1500))
    assert "code=****" in stream.getvalue() and APPLICANT_ID not in stream.getvalue()
    # its error log passes the same filter
    assert any(isinstance(f, MaskingLogFilter) for f in log.error_log.filters)
