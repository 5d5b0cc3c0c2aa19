"""Issue 12 §5: bad input never gives a 5xx. Each case on the API and on a page, on SQLite and
PostgreSQL (a NUL byte is what PostgreSQL refuses): a body too large (413), a malformed body
(400), a NUL or a lone surrogate in a string (422 naming the field), integers out of range (422 on
the API, 404 on a page URL), over-long fields (422 naming the field), and an upload whose content
is not what its name says (422)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings

from onewindow.api.limits import MAX_OFFSET
from onewindow.cases import services
from onewindow.cases.applicants import resident_id_check
from onewindow.cases.delivery_models import CaseDelivery
from onewindow.cases.params import ACTION_PARAMS
from onewindow.org.services import api_token_issue
from tests.factories import PASSWORD, make_item

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token"
LOGIN_URL = "/staff/login/"
ID_NUMBER = "11010119900307123" + resident_id_check("11010119900307123")
TOO_BIG = 2**63


def assert_api_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code and body["message"]
    return body


def assert_page_error(response: Any, status: int) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def locs(body: dict[str, Any]) -> list[list[str]]:
    return [d["loc"] for d in body["details"]]


@pytest.fixture
def bearer(org) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=org.user('clerk'))[1]}"}


@pytest.fixture
def item(org):
    return make_item(org, code="SC001")


def intake_body(version: Any, **applicant: Any) -> dict[str, Any]:
    return {
        "item_code": version.item.code,
        "applicant": {
            "kind": "person",
            "name": "张三",
            "id_type": "resident_id",
            "id_number": ID_NUMBER,
            "phone": "13812345678",
            **applicant,
        },
        "materials": [{"material": m.pk, "received": True} for m in version.materials.all()],
        "action": "accept",
    }


def accepted_case(org: Any, version: Any) -> Any:
    body = intake_body(version)
    return services.case_intake(
        actor=org.user("clerk"),
        item_code=version.item.code,
        center=org.center,
        applicant=body["applicant"],
        channel="window",
        materials=body["materials"],
        action="accept",
    )


# --- 413: a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE ------------------------------------------


def test_api_25_mb_json_body_is_413(client, org):
    body = b'{"username": "' + b"a" * (25 * 1024 * 1024) + b'", "password": "x"}'
    response = client.post(TOKEN_URL, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    body = assert_api_error(response, 413, "payload_too_large")
    assert "20 MB" in body["message"]
    assert body["details"] == {"max_bytes": 20 * 1024 * 1024}


def test_api_413_message_is_in_the_request_language(client, org):
    body = b'{"username": "' + b"a" * (25 * 1024 * 1024) + b'"}'
    response = client.post(TOKEN_URL, body, content_type="application/json")  # zh-hans by default
    message = assert_api_error(response, 413, "payload_too_large")["message"]
    assert "请求" in message and "20 MB" in message


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_page_form_larger_than_the_limit_is_413(client, org):
    response = client.post(LOGIN_URL, {"username": "a" * 2048, "password": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "The request is too large" in assert_page_error(response, 413)


# --- 400: a body that cannot be parsed -----------------------------------------------------------


def test_api_multipart_without_boundary_is_400(client, org):
    response = client.generic("POST", TOKEN_URL, b"--x\r\n\r\n", content_type="multipart/form-data")
    assert_api_error(response, 400, "bad_request")


def test_api_multipart_upload_without_boundary_is_400(client, org, bearer, item):
    case = accepted_case(org, item)
    response = client.generic(
        "POST", f"/api/v1/cases/{case.number}/files", b"x", content_type="multipart/form-data", **bearer
    )
    assert_api_error(response, 400, "bad_request")


def test_api_malformed_json_is_400(client, org):
    response = client.post(TOKEN_URL, b'{"username": ', content_type="application/json")
    assert_api_error(response, 400, "bad_request")


@pytest.mark.parametrize("inner", ['"x"', '"\\u0000"'])
def test_api_json_nested_too_deep_is_400(client, org, inner):
    body = '{"username": ' + "[" * 100_000 + inner + "]" * 100_000 + "}"
    assert_api_error(client.post(TOKEN_URL, body, content_type="application/json"), 400, "bad_request")


def test_api_nul_deep_in_a_body_is_found(client, org):
    body = '{"username": ' + "[" * 500 + '"\\u0000"' + "]" * 500 + ', "password": "x"}'
    response = client.post(TOKEN_URL, body, content_type="application/json")
    assert locs(assert_api_error(response, 422, "validation_failed")) == [["body", "username", *["0"] * 500]]


def test_page_multipart_without_boundary_is_400(client, org):
    response = client.generic(
        "POST", LOGIN_URL, b"--x\r\n\r\n", content_type="multipart/form-data", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "boundary" in assert_page_error(response, 400)


# --- 422: NUL characters and lone surrogates -----------------------------------------------------


@pytest.mark.parametrize("value", ["a\u0000b", "\ud800", "张\udfff三"])
def test_api_token_endpoint_refuses_nul_and_lone_surrogates(client, org, value):
    payload = json.dumps({"username": value, "password": PASSWORD})  # ensure_ascii: \u0000, \ud800
    response = client.post(TOKEN_URL, payload, content_type="application/json")
    body = assert_api_error(response, 422, "validation_failed")
    assert locs(body) == [["body", "username"]]
    assert "username" in body["message"]


def test_api_bad_characters_in_names_are_escaped_in_the_answer(client, org):
    response = client.post(TOKEN_URL, '{"\\ud800": 1, "username": "x"}', content_type="application/json")
    assert locs(assert_api_error(response, 422, "validation_failed")) == [["body", "\\ud800"]]
    response = client.get("/api/v1/items?a%00=1")
    assert locs(assert_api_error(response, 422, "validation_failed")) == [["query", "a\\x00"]]
    page = assert_page_error(client.get("/search/?a%00=1", HTTP_ACCEPT_LANGUAGE="en"), 422)
    assert "\x00" not in page and "a\\x00 contains a NUL" in page


def test_api_raw_surrogate_bytes_in_the_body_are_422(client, org):
    # UTF-8-encoded surrogates are invalid UTF-8 that json.loads accepts ("surrogatepass")
    payload = b'{"username": "\xed\xa0\x80", "password": "x"}'
    response = client.post(TOKEN_URL, payload, content_type="application/json")
    assert locs(assert_api_error(response, 422, "validation_failed")) == [["body", "username"]]


def test_api_lone_surrogate_in_an_applicant_name_is_422(client, org, bearer, item):
    body = intake_body(item, name="张\ud800")
    response = client.post("/api/v1/cases", json.dumps(body), content_type="application/json", **bearer)
    found = assert_api_error(response, 422, "validation_failed")
    assert locs(found) == [["body", "applicant", "name"]]
    assert "applicant.name" in found["message"]


def test_api_nul_in_a_nested_list_names_the_field(client, org, bearer, item):
    body = intake_body(item)
    body["materials"][0]["note"] = "原件\x00"
    response = client.post("/api/v1/cases", json.dumps(body), content_type="application/json", **bearer)
    assert locs(assert_api_error(response, 422, "validation_failed")) == [["body", "materials", "0", "note"]]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/bundles/a%00b",
        "/api/v1/bundles?center=a%00",
        "/api/v1/items?q=%E5%8A%9E%00",
        "/api/v1/items/SC%00",
        "/api/v1/departments?center=%00",
        "/api/v1/public/progress?number=A%00&code=1234",
        "/api/v1/public/progress?number=A&code=12%0034",
    ],
)
def test_api_nul_in_public_endpoints_is_422(client, org, url):
    assert_api_error(client.get(url), 422, "validation_failed")


def test_api_nul_in_a_query_names_the_parameter(client, org, bearer):
    response = client.get("/api/v1/cases?q=%00", **bearer)
    assert locs(assert_api_error(response, 422, "validation_failed")) == [["query", "q"]]


def test_api_nul_in_a_case_action_is_422(client, org, bearer, item):
    case = accepted_case(org, item)
    body = {"action": "pass_step", "version": case.version, "opinion": "同意\x00"}
    response = client.post(
        f"/api/v1/cases/{case.number}/actions", json.dumps(body), content_type="application/json", **bearer
    )
    assert locs(assert_api_error(response, 422, "validation_failed")) == [["body", "opinion"]]


def test_api_nul_in_an_upload_is_422_or_dropped(client, org, bearer, item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = accepted_case(org, item)
    upload = SimpleUploadedFile("申请书\x00.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(f"/api/v1/cases/{case.number}/files", {"file": upload}, **bearer)
    # Django's multipart parser drops the NUL from file names; a NUL in a field is refused
    assert response.status_code == 201 and "\x00" not in response.json()["name"]
    response = client.post(
        f"/api/v1/cases/{case.number}/files",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4"), "material": "1\x00"},
        **bearer,
    )
    assert locs(assert_api_error(response, 422, "validation_failed")) == [["form", "material"]]


def test_page_nul_in_a_form_field_is_422_naming_it(client, org):
    response = client.post(LOGIN_URL, {"username": "clerk\x00", "password": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "username contains a NUL character" in assert_page_error(response, 422)


def test_page_nul_in_a_query_and_in_the_path_is_422(client, org):
    assert "q contains a NUL" in assert_page_error(
        client.get("/search/?q=%00", HTTP_ACCEPT_LANGUAGE="en"), 422
    )
    assert_page_error(client.get("/bundles/a%00b/"), 422)
    assert_page_error(client.get("/items/SC%00/"), 422)


def test_nul_in_the_session_cookie_is_422_not_a_500(client, org):
    # Django unquotes "\\000" in a quoted cookie; the session key reaches the database
    client.cookies["sessionid"] = "abcdefghijk\x00"
    assert_page_error(client.get("/staff/"), 422)
    assert_api_error(client.get("/api/v1/centers"), 422, "validation_failed")


def test_page_message_is_in_the_request_language(client, org):
    page = assert_page_error(client.post(LOGIN_URL, {"username": "a\x00", "password": "x"}), 422)
    assert "username" in page and "NUL" in page and "请" in page


def test_page_surrogates_in_a_form_are_replaced_not_a_500(client, org):
    # a form body is decoded with errors="replace": a UTF-8-encoded surrogate never becomes one
    response = client.post(
        LOGIN_URL, b"username=%ED%A0%80&password=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200  # the login form again, with its "wrong password" message


def test_web_intake_with_nul_is_422(client, org, item):
    client.force_login(org.user("clerk"))
    response = client.post(
        "/staff/cases/intake/", {"item_code": item.item.code, "applicant_name": "张\x00三"}
    )
    assert "applicant_name" in assert_page_error(response, 422)


# --- integers out of range -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"/api/v1/items?offset={TOO_BIG}", "offset"),
        (f"/api/v1/items?offset={TOO_BIG - 100}", "offset"),  # offset + limit would overflow
        (f"/api/v1/items?offset={MAX_OFFSET + 1}", "offset"),
        ("/api/v1/items?offset=-1", "offset"),
        (f"/api/v1/items?limit={TOO_BIG}", "limit"),
        (f"/api/v1/cases?page={TOO_BIG}", "page"),
        (f"/api/v1/calendar/due-date?start=2026-03-02&days={TOO_BIG}", "days"),
        (f"/api/v1/calendar/years?first={TOO_BIG}", "first"),
    ],
)
def test_api_integers_out_of_range_are_422(client, org, bearer, url, field):
    body = assert_api_error(client.get(url, **bearer), 422, "validation_failed")
    assert field in body["message"]


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/supervision/orders/{TOO_BIG}/close",
        "/api/v1/supervision/orders/-1/close",
        f"/api/v1/supervision/accountability/{TOO_BIG}/appeal",
    ],
)
def test_api_ids_out_of_range_are_422(client, org, path):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=org.user('supervisor'))[1]}"}
    response = client.post(
        path, json.dumps({"note": "x", "reason": "x"}), content_type="application/json", **headers
    )
    assert_api_error(response, 422, "validation_failed")


def test_api_file_id_and_body_integers_out_of_range_are_422(client, org, bearer, item):
    case = accepted_case(org, item)
    assert_api_error(
        client.get(f"/api/v1/cases/{case.number}/files/{TOO_BIG}", **bearer), 422, "validation_failed"
    )
    body = {"action": "pass_step", "version": TOO_BIG}
    response = client.post(
        f"/api/v1/cases/{case.number}/actions", json.dumps(body), content_type="application/json", **bearer
    )
    assert_api_error(response, 422, "validation_failed")
    intake = intake_body(item)
    intake["materials"][0]["material"] = TOO_BIG
    intake["materials"][0]["copies"] = TOO_BIG
    response = client.post("/api/v1/cases", json.dumps(intake), content_type="application/json", **bearer)
    assert_api_error(response, 422, "validation_failed")


def test_page_ids_beyond_64_bits_are_404_not_500(client, org, item):
    client.force_login(org.user("supervisor"))
    case = accepted_case(org, item)
    assert client.get(f"/staff/cases/{case.number}/files/{TOO_BIG}/").status_code == 404
    assert client.post(f"/staff/supervision/orders/{TOO_BIG}/close/").status_code == 404
    assert client.get(f"/items/{item.item.code}/materials/{TOO_BIG}/blank/").status_code == 404
    assert client.get(f"/staff/cases/?page={TOO_BIG}").status_code == 200


# --- maximum lengths ---------------------------------------------------------------------------------


def test_api_over_long_applicant_name_is_422_naming_it(client, org, bearer, item):
    response = client.post(
        "/api/v1/cases",
        json.dumps(intake_body(item, name="张" * 201)),
        content_type="application/json",
        **bearer,
    )
    body = assert_api_error(response, 422, "validation_failed")
    assert "applicant.name" in body["message"]
    assert response.status_code == 422 and "200" in body["details"][0]["message"]


def test_api_over_long_token_fields_are_422(client, org):
    response = client.post(
        TOKEN_URL, {"username": "a" * 151, "password": "x" * 129}, content_type="application/json"
    )
    body = assert_api_error(response, 422, "validation_failed")
    assert "username" in body["message"] and "password" in body["message"]


def test_api_over_long_action_text_is_422(client, org, bearer, item):
    case = accepted_case(org, item)
    body = {"action": "pass_step", "version": case.version, "opinion": "意" * 2001}
    response = client.post(
        f"/api/v1/cases/{case.number}/actions", json.dumps(body), content_type="application/json", **bearer
    )
    assert "opinion" in assert_api_error(response, 422, "validation_failed")["message"]


def test_api_over_long_query_is_422(client, org):
    body = assert_api_error(client.get("/api/v1/items?center=" + "C" * 50), 422, "validation_failed")
    assert "center" in body["message"]


def test_every_free_text_field_of_the_api_input_has_a_maximum_length():
    """Every string a client sends (query, path apart, and request bodies, nested schemas included)
    has a maxLength in the OpenAPI, unless it is an enum or has a format (date, uuid...)."""
    from onewindow.api.urls import api

    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    unbounded: list[str] = []
    seen: set[str] = set()

    def visit(where: str, node: Any) -> None:
        if isinstance(node, list):
            for i, value in enumerate(node):
                visit(f"{where}[{i}]", value)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                visit(name, components[name])
            return
        if node.get("type") == "string" and not {"maxLength", "enum", "const", "format"} & set(node):
            unbounded.append(where)
        for key, value in node.items():
            visit(f"{where}.{key}", value)

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    visit(f"{method} {path} ?{parameter['name']}", parameter["schema"])
            visit(f"{method} {path} body", operation.get("requestBody", {}))
    assert not unbounded, unbounded


def test_delivery_params_match_their_columns():
    params = {p.name: p for p in ACTION_PARAMS["deliver"]}
    for name in ("recipient_name", "recipient_id_number", "carrier", "tracking_number"):
        assert params[name].max_length == CaseDelivery._meta.get_field(name).max_length


def test_page_action_form_refuses_over_long_text_and_huge_numbers():
    from onewindow.web.cases.forms import ActionForm

    def form(action: str, **data: Any) -> ActionForm:
        data = {f"{action}-{k}": v for k, v in {"version": 1, **data}.items()}
        return ActionForm(data, action=action, version=1, materials=[], steps=[], active_position=None)

    opinion = form("pass_step", opinion="意" * 2001)
    assert not opinion.is_valid() and "opinion" in opinion.errors
    days = form("request_extension", days=TOO_BIG, reason="x")
    assert not days.is_valid() and "days" in days.errors
    assert form("pass_step", opinion="意" * 2000).is_valid()


# --- uploads: content checked by its magic bytes ----------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("申请书.pdf", b"<html><script>alert(1)</script>", "application/pdf"),
        ("照片.jpg", PNG, "image/jpeg"),
        ("执照.png", b"%PDF-1.4", "image/png"),
        ("电子证照.ofd", b"%PDF-1.4", "application/ofd"),
        ("表格.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/octet-stream"),
        ("申请书.pdf", b"%PDF-1.4", "image/png"),  # the declared type names another format
    ],
)
def test_api_upload_whose_content_is_not_its_type_is_422(
    client, org, bearer, item, settings, tmp_path, name, content, content_type
):
    settings.MEDIA_ROOT = tmp_path
    case = accepted_case(org, item)
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = client.post(
        f"/api/v1/cases/{case.number}/files", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en", **bearer
    )
    body = assert_api_error(response, 422, "validation_failed")
    assert "file" in body["details"]
    assert "upload" in " ".join(body["details"]["file"]).lower()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("申请书.pdf", b"%PDF-1.7\n"),
        ("照片.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 8),
        ("执照.png", PNG),
        ("电子证照.ofd", b"PK\x03\x04" + b"\x00" * 8),
        ("表格.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ],
)
def test_api_upload_whose_content_matches_is_accepted(
    client, org, bearer, item, settings, tmp_path, name, content
):
    settings.MEDIA_ROOT = tmp_path
    case = accepted_case(org, item)
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client.post(f"/api/v1/cases/{case.number}/files", {"file": upload}, **bearer)
    assert response.status_code == 201, response.content


def test_page_intake_upload_with_a_fake_pdf_is_422(client, org, item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(org.user("clerk"))
    first = item.materials.first()
    fake = SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00", content_type="application/pdf")
    data = {
        "item_code": item.item.code,
        "action": "accept",
        "channel": "window",
        "applicant_kind": "person",
        "applicant_name": "张三",
        "applicant_id_type": "resident_id",
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": "13812345678",
        "applicant_address": "测试市人民路1号",
        "delivery_method": "pickup",
        "note": "",
        f"m{first.pk}_file": fake,
    }
    for m in item.materials.all():
        data[f"m{m.pk}_received"] = "on"
        data[f"m{m.pk}_copies"] = "1"
        data[f"m{m.pk}_form"] = m.form
        data[f"m{m.pk}_note"] = ""
    response = client.post("/staff/cases/intake/", data, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 422, re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]*)', page)
    assert "not a PDF file" in page, re.findall(r"field-error[^>]*>([^<]*)|errorlist[^>]*>(.*?)</ul>", page)


# --- the production API chain (conf/wsgi.py) ------------------------------------------------------


def test_the_guard_is_in_both_middleware_chains(settings):
    guard = "onewindow.core.input_guard.InputGuardMiddleware"
    for chain in (settings.MIDDLEWARE, settings.API_MIDDLEWARE):
        assert guard in chain
        assert chain.index(guard) == chain.index("django.middleware.locale.LocaleMiddleware") + 1


@pytest.fixture
def wsgi_client():
    from werkzeug.test import Client

    from onewindow.conf.wsgi import application

    # the handler closes the connection when a request ends: keep the test's transaction open
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield Client(application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_api_chain_answers_bad_input_with_json(wsgi_client, org):
    big = wsgi_client.post(
        TOKEN_URL, data=b"{" + b" " * (21 * 1024 * 1024) + b"}", content_type="application/json"
    )
    assert big.status_code == 413 and big.json["code"] == "payload_too_large"
    nul = wsgi_client.get("/api/v1/bundles/x%00")
    assert nul.status_code == 422 and nul.json["code"] == "validation_failed"
    multipart = wsgi_client.post(TOKEN_URL, data=b"x", content_type="multipart/form-data")
    assert multipart.status_code == 400 and multipart.json["code"] == "bad_request"
    offset = wsgi_client.get(f"/api/v1/items?offset={TOO_BIG}")
    assert offset.status_code == 422 and offset.json["details"][0]["loc"] == ["query", "offset"]
