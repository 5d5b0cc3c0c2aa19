"""Login names ignore case (issue 11, §1.9): SCJG-reviewer and scjg-reviewer are one account."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from onewindow.core.errors import ValidationFailed
from onewindow.org.accounts import user_create
from onewindow.org.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_staff_login_ignores_case(client, org):
    response = client.post(reverse("web:login"), {"username": "SCJG-Reviewer", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(org.user("scjg-reviewer").pk)


def test_admin_login_ignores_case(client, org):
    response = client.post(
        reverse("admin:login"), {"username": "SecAdmin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.session["_auth_user_id"] == str(org.user("secadmin").pk)


def test_api_token_issue_ignores_case(client, org):
    response = client.post(
        "/api/v1/auth/token", {"username": "CLERK", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    assert me.json()["username"] == "clerk"


def test_a_wrong_password_still_fails_whatever_the_case(client, org):
    response = client.post(reverse("web:login"), {"username": "CLERK", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_database_refuses_names_differing_only_in_case(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="Clerk")


def test_model_validation_says_what_to_fix(org):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        User(username="CLERK").validate_constraints()
    assert "不区分大小写" in str(caught.value)


def test_account_creation_refuses_a_case_variant(org):
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        user_create(
            username="SCJG-REVIEWER",
            password="A-long-enough-pass-2026",
            full_name="王五",
            center=org.center,
            department=org.dept_a,
            actor=org.user("secadmin"),
        )
    assert "upper and lower case" in caught.value.details["username"][0]
    assert not User.objects.filter(username="SCJG-REVIEWER").exists()
