"""Notices (issue 11 §1.7): Chinese dates under the seal, the note on a date in a year without a
confirmed holiday schedule, instant items, and the address the QR code encodes."""

from __future__ import annotations

import io
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from onewindow.calendar import selectors as calendar_selectors
from onewindow.calendar.models import CalendarYear
from onewindow.cases.models import Notice
from onewindow.core import public_url
from onewindow.web.cases import notices as notice_pages
from tests.factories import make_item

from .conftest import act, intake

pytestmark = pytest.mark.django_db

TENTATIVE = 'data-testid="tentative"'


def page(client: Any, notice: Notice) -> str:
    response = client.get(reverse("web:case_notice", args=[notice.case.display_number, notice.number]))
    assert response.status_code == 200
    return response.content.decode()


def confirm(year: int) -> None:
    CalendarYear.objects.update_or_create(year=year, defaults={"confirmed": True})
    calendar_selectors.invalidate()


@pytest.fixture(autouse=True)
def _no_public_base(settings, monkeypatch):
    settings.PUBLIC_BASE_URL = ""
    monkeypatch.delenv(public_url.SERVED_URL_VARIABLE, raising=False)


def test_the_seal_date_and_the_promised_date_are_in_chinese_form(client, cx, food):
    confirm(2026)
    case = intake(cx, food)
    client.force_login(cx.user("clerk"))
    body = page(client, case.notices.get(kind="acceptance"))
    assert 'data-testid="notice-date">2026年3月2日<' in body
    promised = body.split('data-testid="promised-date">')[1].split("</span>")[0]
    assert "2026年3月16日" in promised and "2026-03-16" not in body
    assert TENTATIVE not in body  # 2026 is confirmed


def unconfirm(year: int) -> None:
    CalendarYear.objects.update_or_create(year=year, defaults={"confirmed": False})
    calendar_selectors.invalidate()


def test_a_date_in_an_unconfirmed_year_says_it_may_change(client, cx, food):
    unconfirm(2026)
    case = intake(cx, food)
    client.force_login(cx.user("clerk"))
    body = page(client, case.notices.get(kind="acceptance"))
    note = body.split(TENTATIVE + ">")[1].split("</span>")[0]
    assert "尚未正式公布" in note and "可能" in note
    assert "。。" not in body
    # the extension notice says it too, and the refusal (no date) does not
    act(case, "request_extension", cx.user("scjg-reviewer"), days=3, reason="需要核查")
    act(case, "approve_extension", cx.user("scjg-chief"))
    assert TENTATIVE in page(client, case.notices.get(kind="extension"))
    refused = intake(cx, food, action="refuse", note="不属于本中心受理范围")
    assert TENTATIVE not in page(client, refused.notices.get())


def test_tentative_looks_at_the_year_of_the_date():
    with mock.patch.object(calendar_selectors, "table") as table:
        table.return_value.is_confirmed.side_effect = lambda year: year <= 2026
        assert not notice_pages.tentative({"due_date": "2026-12-31"})
        assert notice_pages.tentative({"due_date": "2027-01-04"})
        assert notice_pages.tentative({"expected_end": "2027-02-01"})
        assert not notice_pages.tentative({"reason": "x"})


def test_an_instant_acceptance_says_completed_on_the_spot(client, cx):
    confirm(2026)
    version = make_item(cx, code="SC009", handling_type="instant", legal_limit=0, promised_limit=0)
    case = intake(cx, version)
    client.force_login(cx.user("clerk"))
    notice = case.notices.filter(kind="acceptance").first()
    assert notice is not None
    body = page(client, notice)
    promised = body.split('data-testid="promised-date">')[1].split("</span>")[0]
    assert "当场办结" in promised and "0 个工作日" not in body


def test_the_qr_code_uses_public_base_url_when_set(client, cx, food, settings, monkeypatch):
    monkeypatch.setenv(public_url.SERVED_URL_VARIABLE, "http://127.0.0.1:8101")
    settings.PUBLIC_BASE_URL = "https://zwfw.example.gov.cn/"
    case = intake(cx, food)
    client.force_login(cx.user("clerk"))
    body = page(client, case.notices.get())
    assert f"https://zwfw.example.gov.cn/progress/?number={case.number}" in body
    assert ":8101" not in body


def test_otherwise_the_address_the_server_was_started_on(client, cx, food, monkeypatch):
    monkeypatch.setenv(public_url.SERVED_URL_VARIABLE, "http://127.0.0.1:8101")
    case = intake(cx, food)
    client.force_login(cx.user("clerk"))
    body = page(client, case.notices.get())
    assert f"http://127.0.0.1:8101/progress/?number={case.number}" in body
    assert notice_pages.qr_svg(f"http://127.0.0.1:8101/progress/?number={case.number}") in body


def test_public_base_url_order(settings, monkeypatch):
    assert public_url.public_base_url() == "http://127.0.0.1:8000"
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    assert public_url.public_base_url(request) == "http://testserver"
    monkeypatch.setenv(public_url.SERVED_URL_VARIABLE, "http://127.0.0.1:8101/")
    assert public_url.public_base_url(request) == "http://127.0.0.1:8101"
    settings.PUBLIC_BASE_URL = "https://zwfw.example.gov.cn/"
    assert public_url.public_base_url(request) == "https://zwfw.example.gov.cn"
    assert public_url.served_url("0.0.0.0", "8101") == "http://127.0.0.1:8101"
    assert public_url.served_url("::1", 8101) == "http://[::1]:8101"


def test_serve_prints_and_exports_the_port_it_was_started_on(monkeypatch):
    import os

    monkeypatch.setenv(public_url.SERVED_URL_VARIABLE, "")  # restored after the test
    out = io.StringIO()
    worker = mock.Mock(pid=4242)
    worker.poll.return_value = 0
    with (
        mock.patch("subprocess.Popen", return_value=worker) as popen,
        mock.patch("onewindow.core.management.commands.serve.call_command") as runserver,
    ):
        call_command("serve", "--port", "8101", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8101/" in text and ":8000" not in text
    assert "notices and QR codes link to: http://127.0.0.1:8101/" in text
    assert os.environ[public_url.SERVED_URL_VARIABLE] == "http://127.0.0.1:8101"
    assert popen.call_args.kwargs["env"][public_url.SERVED_URL_VARIABLE] == "http://127.0.0.1:8101"
    runserver.assert_called_once_with("runserver", "127.0.0.1:8101", use_reloader=False)
