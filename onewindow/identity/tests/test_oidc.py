"""Single sign-on with the unified identity platform (OpenID Connect), against a local provider
run in a thread: the whole round trip through the Django test client (issue 14 §1, 5)."""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest
from django.test import override_settings
from django.urls import reverse
from joserfc.jwk import RSAKey

from onewindow.core.models import AuditEntry
from onewindow.identity.models import Person, RealNameLevel
from onewindow.identity.sessions import SESSION_PERSON
from onewindow.identity.tests import oidc_provider
from tests.applicants import make_person

pytestmark = pytest.mark.django_db

PHONE = "13900000081"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@pytest.fixture
def provider(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with (
        oidc_provider.running() as running,
        override_settings(
            OIDC_ISSUER=running.issuer,
            OIDC_CLIENT_ID=oidc_provider.CLIENT_ID,
            OIDC_CLIENT_SECRET=oidc_provider.CLIENT_SECRET,
        ),
    ):
        yield running


def _round_trip(client, provider, claims, next_url=""):
    """Start at the sign-in button, let the provider consent, come back to the callback."""
    provider.claims = claims
    start = client.get(reverse("portal:oidc_start"), {"next": next_url} if next_url else {})
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(provider.issuer + "/authorize?")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize).query))
    assert query["scope"] == "openid profile phone" and query["nonce"] and query["state"]
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))
    try:
        opener.open(authorize)
        raise AssertionError("the provider should redirect")
    except urllib.error.HTTPError as redirect:
        callback = redirect.headers["Location"]
    parts = urllib.parse.urlsplit(callback)
    assert parts.path == reverse("portal:oidc_callback")
    return client.get(parts.path + "?" + parts.query)


def test_the_sign_in_page_shows_the_button_only_when_configured(org, client, provider):
    assert (
        "统一身份认证登录"
        in client.get(reverse("portal:signin"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    )
    with override_settings(OIDC_ISSUER=""):
        assert 'data-testid="oidc-start"' not in client.get(reverse("portal:signin")).content.decode()
        assert client.get(reverse("portal:oidc_start"))["Location"] == reverse("portal:signin")


def test_a_new_person_signs_in_at_level_5(org, client, provider):
    claims = {
        "sub": "prov-0001",
        "phone_number": "+8613900000081",
        "phone_number_verified": True,
        "name": "张明",
    }
    done = _round_trip(client, provider, claims, next_url="/search/")
    assert done.status_code == 302 and done["Location"] == "/search/"
    person = Person.objects.get(phone=PHONE)
    assert (person.oidc_subject, person.real_name_level, person.verified_how) == (
        "prov-0001",
        RealNameLevel.CERTIFIED,
        "oidc",
    )
    assert person.name == "张明" and client.session[SESSION_PERSON] == person.pk
    assert AuditEntry.objects.filter(action="applicant.create", object_id=str(person.pk)).exists()
    # the next time the subject finds the same person, whatever the phone claim says
    client.post(reverse("portal:signout"))
    again = _round_trip(client, provider, {"sub": "prov-0001"})
    assert again.status_code == 302 and client.session[SESSION_PERSON] == person.pk
    assert Person.objects.count() == 1


def test_an_existing_account_is_linked_by_its_verified_phone(org, client, provider):
    existing = make_person(phone=PHONE)
    claims = {"sub": "prov-0002", "phone_number": PHONE, "phone_number_verified": True}
    assert _round_trip(client, provider, claims).status_code == 302
    existing.refresh_from_db()
    assert existing.oidc_subject == "prov-0002" and existing.real_name_level == RealNameLevel.CERTIFIED
    assert client.session[SESSION_PERSON] == existing.pk


def test_an_unverified_phone_neither_links_nor_creates(org, client, provider):
    make_person(phone=PHONE)
    claims = {"sub": "prov-0003", "phone_number": PHONE, "phone_number_verified": False}
    response = _round_trip(client, provider, claims)
    assert response["Location"] == reverse("portal:signin")
    assert SESSION_PERSON not in client.session
    assert not Person.objects.filter(oidc_subject="prov-0003").exists()
    assert "统一身份认证平台未提供已验证的手机号码" in client.get(reverse("portal:signin")).content.decode()


def test_a_forged_id_token_is_refused(org, client, provider):
    provider.sign_with = RSAKey.generate_key(2048, parameters={"kid": "test-1"})
    claims = {"sub": "prov-0004", "phone_number": PHONE, "phone_number_verified": True}
    response = _round_trip(client, provider, claims)
    assert response["Location"] == reverse("portal:signin") and SESSION_PERSON not in client.session
    assert not Person.objects.exists()


def test_a_callback_with_a_foreign_state_is_refused(org, client, provider):
    client.get(reverse("portal:oidc_start"))
    response = client.get(reverse("portal:oidc_callback"), {"code": "x", "state": "not-ours"})
    assert response["Location"] == reverse("portal:signin") and SESSION_PERSON not in client.session
    assert provider.token_requests == 0
