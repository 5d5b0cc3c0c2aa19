from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache

from onewindow.core import clock
from onewindow.core.models import AuditEntry
from onewindow.org.models import ApiToken
from onewindow.org.services import api_token_issue, user_deactivate
from tests.factories import PASSWORD

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/me"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def post_token(client, username, password, **extra):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json", **extra
    )


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert body["message"]
    return body


@pytest.mark.django_db
def test_token_for_good_credentials(client, org):
    response = post_token(client, "clerk", PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["token"].startswith("ow_")
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(days=29) < expires - clock.now() <= dt.timedelta(days=30)
    assert ApiToken.objects.get(user=org.user("clerk")).key_hash != body["token"]  # only a hash is stored
    assert AuditEntry.objects.filter(action="api_token.issue", actor=org.user("clerk")).exists()
    me = client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200 and me.json()["username"] == "clerk"


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "password"), [("clerk", "wrong"), ("nobody", PASSWORD), ("", "")])
def test_bad_credentials_are_401_json(client, org, username, password):
    assert_error(post_token(client, username, password), 401, "invalid_credentials")
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_disabled_account_gets_no_token(client, org):
    clerk = org.user("clerk")
    clerk.is_active = False
    clerk.save()
    assert_error(post_token(client, "clerk", PASSWORD), 401, "invalid_credentials")


@pytest.mark.django_db
def test_missing_fields_are_422_json(client, org):
    response = client.post(TOKEN_URL, {"username": "clerk"}, content_type="application/json")
    body = assert_error(response, 422, "validation_failed")
    assert "password" in body["message"]


@pytest.mark.django_db
def test_unparsable_body_is_400_json(client, org):
    response = client.post(TOKEN_URL, "{not json", content_type="application/json")
    assert_error(response, 400, "bad_request")


@pytest.mark.django_db
def test_failures_lock_the_account_whatever_the_address(client, org):
    for _ in range(settings.LOCKOUT_FAILURES - 1):
        assert_error(post_token(client, "clerk", "wrong"), 401, "invalid_credentials")
    body = assert_error(post_token(client, "clerk", "wrong"), 423, "account_locked")
    assert body["details"]["locked_until"]
    # not even the right password gets through now, from any address, in any case
    assert_error(post_token(client, "clerk", PASSWORD, REMOTE_ADDR="10.0.0.9"), 423, "account_locked")
    assert_error(post_token(client, " CLERK ", PASSWORD), 423, "account_locked")
    assert not ApiToken.objects.exists()
    # another account is not blocked
    assert post_token(client, "supervisor", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_the_lock_lifts_after_its_time(client, org):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for _ in range(settings.LOCKOUT_FAILURES):
            post_token(client, "clerk", "wrong")
        assert post_token(client, "clerk", PASSWORD).status_code == 423
        traveller.shift(dt.timedelta(minutes=settings.LOCKOUT_MINUTES + 1))
        assert post_token(client, "clerk", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_protected_endpoint_without_token(client, org):
    assert_error(client.get(ME_URL), 401, "not_authenticated")
    assert_error(client.get(ME_URL, HTTP_AUTHORIZATION="Bearer"), 401, "not_authenticated")
    assert_error(client.get(ME_URL, HTTP_AUTHORIZATION="Basic abc"), 401, "not_authenticated")
    assert_error(client.get(ME_URL, HTTP_AUTHORIZATION="Bearer ow_made_up"), 401, "not_authenticated")


@pytest.mark.django_db
def test_expired_token_is_401(client, org):
    _token, raw = api_token_issue(user=org.user("clerk"), days=1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(ME_URL, **auth).status_code == 200
    with time_machine.travel(clock.now() + dt.timedelta(days=1, seconds=1)):
        assert_error(client.get(ME_URL, **auth), 401, "not_authenticated")


@pytest.mark.django_db
def test_revoked_token_is_401(client, org):
    token, raw = api_token_issue(user=org.user("clerk"))
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    assert_error(client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {raw}"), 401, "not_authenticated")


@pytest.mark.django_db
def test_token_of_a_disabled_account_is_401(client, org):
    clerk = org.user("clerk")
    _token, raw = api_token_issue(user=clerk)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(ME_URL, **auth).status_code == 200
    user_deactivate(user=clerk, actor=org.user("secadmin"))
    assert_error(client.get(ME_URL, **auth), 401, "not_authenticated")
    # even if someone re-enabled the account by hand, the token stays revoked
    type(clerk).objects.filter(pk=clerk.pk).update(is_active=True)
    assert_error(client.get(ME_URL, **auth), 401, "not_authenticated")
