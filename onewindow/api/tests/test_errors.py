"""Every API error is JSON {"code", "message", "details"}."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router
from ninja.testing import TestClient

from onewindow.api import errors
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed

router = Router()


@router.get("/boom")
def boom(request: HttpRequest) -> dict:
    raise RuntimeError("secret internals 13812345678")


@router.get("/forbidden")
def forbidden(request: HttpRequest) -> dict:
    raise PermissionDenied("Only supervisors may do this.")


@router.get("/django-forbidden")
def django_forbidden(request: HttpRequest) -> dict:
    raise DjangoPermissionDenied


@router.get("/missing")
def missing(request: HttpRequest) -> dict:
    raise Http404("No such case.")


@router.get("/invalid")
def invalid(request: HttpRequest) -> dict:
    raise ValidationFailed("Bad input.", details={"name": ["Required."]})


@router.get("/conflict")
def conflict(request: HttpRequest) -> dict:
    raise Conflict("Someone else acted first.")


@router.get("/number/{n}")
def number(request: HttpRequest, n: int) -> dict:
    return {"n": n}


def make_client() -> TestClient:
    api = NinjaAPI(urls_namespace="errors-test")
    errors.install(api)
    api.add_router("/", router)
    return TestClient(api)


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert body["message"]
    return body


def test_unhandled_exception_is_500_json_and_logged(caplog):
    logger = logging.getLogger("onewindow.api")
    logger.addHandler(caplog.handler)
    try:
        body = assert_error(make_client().get("/boom"), 500, "server_error")
    finally:
        logger.removeHandler(caplog.handler)
    assert "secret" not in body["message"]
    assert "RuntimeError" in caplog.text


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/forbidden", 403, "permission_denied"),
        ("/django-forbidden", 403, "permission_denied"),
        ("/missing", 404, "not_found"),
        ("/invalid", 422, "validation_failed"),
        ("/conflict", 409, "conflict"),
        ("/number/abc", 422, "validation_failed"),
    ],
)
def test_domain_and_framework_errors(path, status, code):
    assert_error(make_client().get(path), status, code)


def test_validation_details_name_the_field():
    body = assert_error(make_client().get("/invalid"), 422, "validation_failed")
    assert body["details"] == {"name": ["Required."]}


@pytest.mark.django_db
def test_unknown_api_paths_are_404_json(client):
    for path in ("/api/v1/nothing-here", "/api/v1/centers/extra/segments", "/api/v1/"):
        body = assert_error(client.get(path), 404, "not_found")
        assert "/api/v1/docs" in body["message"]
    assert_error(client.post("/api/v1/nothing-here", {}), 404, "not_found")


@pytest.mark.django_db
def test_wrong_method_is_405_json(client):
    response = client.delete("/api/v1/centers")
    body = assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]
    assert body["details"]["allowed"] == ["GET"]
    assert_error(client.get("/api/v1/auth/token"), 405, "method_not_allowed")


@pytest.mark.django_db
def test_docs_and_schema_still_work(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_not_authenticated_is_401_json():
    from onewindow.api.security import bearer

    secured = Router()

    @secured.get("/secret", auth=bearer)
    def secret(request: HttpRequest) -> dict:
        return {}

    api = NinjaAPI(urls_namespace="errors-test-auth")
    errors.install(api)
    api.add_router("/", secured)
    assert_error(TestClient(api).get("/secret"), 401, "not_authenticated")
