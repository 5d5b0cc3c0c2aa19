"""API error messages come in the request's language; the code stays English."""

from __future__ import annotations

import pytest

from onewindow.api.errors import field_message

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "data", "status", "code", "english"),
    [
        ("get", "/api/v1/nothing-here", None, 404, "not_found", "There is no API endpoint at"),
        ("delete", "/api/v1/centers", None, 405, "method_not_allowed", "is not allowed here"),
        ("get", "/api/v1/cases", None, 401, "not_authenticated", "Send a valid token"),
        (
            "get",
            "/api/v1/calendar/due-date",
            {"start": "30/09/2026", "days": "x"},
            422,
            "validation_failed",
            "Invalid request: check",
        ),
        (
            "post",
            "/api/v1/auth/token",
            {"username": "nobody", "password": "wrong"},
            401,
            "invalid_credentials",
            "Wrong username or password",
        ),
    ],
)
def test_same_bad_request_in_chinese_and_english(client, method, path, data, status, code, english):
    def call(headers: dict[str, str]):
        if method == "post":
            return client.post(path, data, content_type="application/json", **headers)
        return getattr(client, method)(path, data or {}, **headers)

    zh, en = call(ZH), call(EN)
    assert zh.status_code == en.status_code == status
    assert zh.json()["code"] == en.json()["code"] == code
    assert english in en.json()["message"] and not _has_han(en.json()["message"])
    assert _has_han(zh.json()["message"]) and english not in zh.json()["message"]


@pytest.mark.django_db
def test_default_language_is_chinese_and_the_cookie_chooses_english(client, settings):
    assert _has_han(client.get("/api/v1/nothing-here").json()["message"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "There is no API endpoint" in client.get("/api/v1/nothing-here").json()["message"]


@pytest.mark.django_db
def test_field_details_are_translated(client):
    query = {"start": "2026-09-30", "days": "many"}
    zh = client.get("/api/v1/calendar/due-date", query, **ZH).json()
    en = client.get("/api/v1/calendar/due-date", query, **EN).json()
    assert [d["loc"] for d in zh["details"]] == [d["loc"] for d in en["details"]]
    assert en["details"][-1]["message"] == "Enter a whole number."
    assert zh["details"][-1]["message"] == "请输入整数。"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/calendar/due-date", {"start": "1900-01-01", "days": "5"}),  # raised by a selector
        ("/api/v1/public/progress", {"number": "DEMO20260930000001K", "code": "0000"}),
    ],
)
def test_domain_errors_and_public_answers_follow_the_language(client, path, query):
    zh = client.get(path, query, **ZH)
    en = client.get(path, query, **EN)
    assert zh.status_code == en.status_code and zh.status_code >= 400
    assert zh.json()["code"] == en.json()["code"]
    assert _has_han(zh.json()["message"]) and not _has_han(en.json()["message"])


def test_field_message_fills_in_pydantic_context():
    from django.utils import translation

    error = {"type": "string_too_long", "ctx": {"max_length": 5}, "msg": "String should have at most 5"}
    with translation.override("en"):
        assert field_message(error) == "Enter at most 5 characters."
        assert field_message({"type": "unheard_of", "msg": "x"}) == "Invalid value."
    with translation.override("zh-hans"):
        assert field_message(error) == "最多输入 5 个字符。"
        choice = {"type": "literal_error", "ctx": {"expected": "'x', 'y' or 'z'"}, "msg": "Input should be"}
        assert field_message(choice) == "请从以下选项中选择：'x', 'y', 'z'。"
