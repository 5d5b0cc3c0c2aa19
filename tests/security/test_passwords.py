"""Issue 12 §1, passwords and the second factor (等保 level 3, 身份鉴别): the password policy, the
history of 5, expiry, the change a password set by someone else requires, and the TOTP second
factor with its enforcement for the administrators and supervisors."""

from __future__ import annotations

import datetime as dt
import io

import pyotp
import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from onewindow.core import clock
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry
from onewindow.org import services
from onewindow.org.models import PasswordHistory, TotpDevice, User
from onewindow.org.passwords import CHANGE_EXPIRED, CHANGE_SET_BY_OTHER, password_change_due
from tests.factories import PASSWORD

GOOD = "Hq7#mzRw2k"
TOKEN_URL = "/api/v1/auth/token"
HOME = "/staff/"
CHANGE = "/staff/password/"
VERIFY = "/staff/second-factor/"
ENROL = "/staff/second-factor/enrol/"
NOW = dt.datetime(2026, 3, 2, 9, 0, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def codes(password, user):
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


def login(client, user, password=PASSWORD):
    assert client.login(username=user.username, password=password)
    return client


def post_token(client, username, password, otp=None, **extra):
    body = {"username": username, "password": password}
    if otp is not None:
        body["otp"] = otp
    return client.post(TOKEN_URL, body, content_type="application/json", **extra)


def secadmin(org):
    user = org.user("secadmin")
    user.is_staff = True
    user.save()
    return user


# --- policy -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1#x", "password_too_short"),
        ("abcdefgh12", "password_too_simple"),  # lower + digits: 2 classes
        ("ABCDEFGH!!", "password_too_simple"),
        ("My-clerk-2026", "password_contains_username"),
        ("zwfw2026", "password_too_common_zh"),
        ("Zwfw@2026", "password_too_common_zh"),
        ("zwfw@2031!", "password_too_common_zh"),  # a year not on the list: the stem is
        ("mima1234", "password_too_common_zh"),
        ("Mima@123", "password_too_common_zh"),
        ("Admin@123", "password_too_common_zh"),
        ("Abc@1234", "password_too_common_zh"),
        ("P@ssw0rd", "password_too_common_zh"),
        ("P@ssw0rd!2026", "password_too_common_zh"),
        ("Woaini1314!", "password_too_common_zh"),
        ("Zhang123", "password_too_common_zh"),
        ("88888888", "password_too_common"),  # Django's own list
    ],
)
def test_policy_refuses(org, password, code):
    assert code in codes(password, org.user("clerk"))


@pytest.mark.django_db
@pytest.mark.parametrize("password", [GOOD, "Window-2026-pass", "税务办证#2026x", "correct horse 7 Battery"])
def test_policy_accepts_good_passwords(org, password):
    assert codes(password, org.user("clerk")) == set()


@pytest.mark.django_db
def test_service_refusal_says_what_to_fix_in_chinese(org):
    clerk = org.user("clerk")
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        services.user_set_password(user=clerk, password="zwfw2026", actor=secadmin(org))
    messages = " ".join(caught.value.details["password"])
    assert "常用" in messages and "四类字符中的至少 3 类" in messages
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.user_set_password(user=clerk, password="clerk-Pass-1", actor=secadmin(org))
    assert "must not contain the username" in " ".join(caught.value.details["password"])


@pytest.mark.django_db
def test_history_of_five(org):
    clerk = org.user("clerk")
    current = PASSWORD
    for n in range(1, 6):
        new = f"Fresh#{n}-pass"
        services.user_change_own_password(user=clerk, old_password=current, new_password=new)
        current = new
    assert PasswordHistory.objects.filter(user=clerk).count() == 5
    for reused in ("Fresh#1-pass", "Fresh#3-pass", "Fresh#5-pass"):
        with pytest.raises(ValidationFailed) as caught:
            services.user_change_own_password(user=clerk, old_password=current, new_password=reused)
        assert "new_password" in caught.value.details
        assert "password_reused" in codes(reused, clerk)
    # the password before those five is out of the history again
    services.user_change_own_password(user=clerk, old_password=current, new_password=PASSWORD)
    assert PasswordHistory.objects.filter(user=clerk).count() == 5
    # an administrator's reset is held to the history too
    with pytest.raises(ValidationFailed):
        services.user_set_password(user=clerk, password="Fresh#5-pass", actor=secadmin(org))


# --- a password set by someone else ------------------------------------------------------------


@pytest.mark.django_db
def test_admin_reset_holds_the_web_session_at_the_change_page(client, org):
    clerk = org.user("clerk")
    admin_client = login(client.__class__(), secadmin(org))
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    assert admin_client.post(url, {"password1": GOOD, "password2": GOOD}).status_code == 302
    clerk.refresh_from_db()
    assert clerk.must_change_password and password_change_due(clerk) == CHANGE_SET_BY_OTHER

    login(client, clerk, GOOD)
    for path in (HOME, "/staff/cases/", "/staff/catalog/", "/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(CHANGE), path
    assert client.get("/static/web/css/base.css").status_code in (200, 304)
    page = client.get(CHANGE)
    assert page.status_code == 200
    assert "password-rules" in page.content.decode()

    # errors per field
    wrong = client.post(CHANGE, {"old_password": "nope", "new_password1": "abc", "new_password2": "abc"})
    assert wrong.status_code == 422
    form = wrong.context["form"]
    assert form.errors["old_password"] and form.errors["new_password1"]
    differ = client.post(
        CHANGE, {"old_password": GOOD, "new_password1": "Mine#2026-pw", "new_password2": "x"}
    )
    assert differ.status_code == 422 and differ.context["form"].errors["new_password2"]
    weak = client.post(
        CHANGE, {"old_password": GOOD, "new_password1": "mima1234", "new_password2": "mima1234"}
    )
    assert weak.status_code == 422 and weak.context["form"].errors["new_password1"]
    same = client.post(CHANGE, {"old_password": GOOD, "new_password1": GOOD, "new_password2": GOOD})
    assert same.status_code == 422 and same.context["form"].errors["new_password1"]

    done = client.post(
        CHANGE,
        {
            "old_password": GOOD,
            "new_password1": "Mine#2026-pw",
            "new_password2": "Mine#2026-pw",
            "next": "/staff/",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/staff/"
    assert client.get(HOME).status_code == 200  # still signed in, no longer held
    clerk.refresh_from_db()
    assert not clerk.must_change_password and clerk.password_changed_at is not None
    entry = AuditEntry.objects.get(action="user.password_change", object_id=str(clerk.pk))
    assert clerk.password not in str(entry.after) and "Mine#2026-pw" not in str(entry.after)
    assert entry.actor_id == clerk.pk


@pytest.mark.django_db
def test_admin_site_is_held_too(client, org):
    admin = org.user("centeradmin")
    services.user_set_password(user=admin, password=GOOD, actor=secadmin(org))
    admin.is_staff = True
    admin.save()
    login(client, admin, GOOD)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(CHANGE)
    assert client.post("/admin/logout/").status_code in (200, 302)


@pytest.mark.django_db
def test_sign_out_is_let_through(client, org):
    clerk = org.user("clerk")
    services.user_set_password(user=clerk, password=GOOD, actor=secadmin(org))
    login(client, clerk, GOOD)
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302 and not response["Location"].startswith(CHANGE)


@pytest.mark.django_db
def test_htmx_requests_are_sent_to_the_change_page(client, org):
    clerk = org.user("clerk")
    services.user_set_password(user=clerk, password=GOOD, actor=secadmin(org))
    login(client, clerk, GOOD)
    response = client.get(HOME, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(CHANGE)


@pytest.mark.django_db
def test_user_create_and_create_admins_require_a_change(org, tmp_path):
    user = services.user_create(
        username="newbie",
        password=GOOD,
        full_name="新人",
        center=org.center,
        department=org.dept_a,
        roles=["reviewer"],
        actor=secadmin(org),
    )
    assert user.must_change_password
    assert PasswordHistory.objects.filter(user=user).count() == 1
    path = tmp_path / "pw.txt"
    path.write_text("Sys#admin-2026\nSec#admin-2026\nAud#admin-2026\n", encoding="utf-8")
    call_command(
        "create_admins", "--system-admin=s1", "--security-admin=s2", "--auditor=s3",
        f"--password-file={path}", stdout=io.StringIO(),
    )  # fmt: skip
    assert set(
        User.objects.filter(username__in=["s1", "s2", "s3"]).values_list("must_change_password", flat=True)
    ) == {True}


@pytest.mark.django_db
def test_owner_setting_own_password_is_not_held(org):
    clerk = org.user("clerk")
    services.user_set_password(user=clerk, password=GOOD, actor=clerk)
    clerk.refresh_from_db()
    assert not clerk.must_change_password


@pytest.mark.django_db
def test_token_api_refuses_an_account_that_must_change(client, org):
    clerk = org.user("clerk")
    services.user_set_password(user=clerk, password=GOOD, actor=secadmin(org))
    response = post_token(client, "clerk", GOOD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "password_change_required" and "staff pages" in body["message"]
    services.user_change_own_password(user=clerk, old_password=GOOD, new_password="Mine#2026-pw")
    assert post_token(client, "clerk", "Mine#2026-pw").status_code == 200


# --- expiry -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_expired_administrator_password_forces_a_change(client, org):
    admin = org.user("supervisor")  # not an expiry-admin role: never expires by default
    sec = secadmin(org)
    old = clock.now() - dt.timedelta(days=91)
    User.objects.filter(pk__in=[admin.pk, sec.pk]).update(password_changed_at=old)
    sec.refresh_from_db()
    admin.refresh_from_db()
    assert password_change_due(sec) == CHANGE_EXPIRED
    assert password_change_due(admin) is None
    assert password_change_due(sec, now=old + dt.timedelta(days=89)) is None
    login(client, sec)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(CHANGE)
    assert "expired" in client.get(CHANGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert post_token(client.__class__(), "secadmin", PASSWORD).json()["code"] == "password_change_required"


@pytest.mark.django_db
def test_staff_expiry_is_a_setting(client, org, settings):
    clerk = org.user("clerk")
    User.objects.filter(pk=clerk.pk).update(password_changed_at=clock.now() - dt.timedelta(days=400))
    login(client, clerk)
    assert client.get(HOME).status_code == 200  # default 0: never
    settings.PASSWORD_EXPIRY_DAYS_STAFF = 30
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(CHANGE)


# --- the second factor --------------------------------------------------------------------------


def code_at(secret, moment, steps=0):
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(moment) + steps)


def enrol(client, user):
    page = client.get(ENROL)
    assert page.status_code == 200
    secret = page.context["secret"]
    assert "<svg" in page.content.decode()
    response = client.post(ENROL, {"code": code_at(secret, clock.now()), "next": HOME})
    assert response.status_code == 302, response.content
    return secret


@pytest.mark.django_db
def test_enrolment_then_verification_at_each_sign_in(client, org, frozen):
    clerk = org.user("clerk")
    login(client, clerk)
    assert client.get(HOME).status_code == 200  # optional for a clerk
    page = client.get(ENROL)
    secret = page.context["secret"]
    wrong = client.post(ENROL, {"code": "000000"})
    assert wrong.status_code == 422 and wrong.context["form"].errors["code"]
    assert client.post(ENROL, {"code": code_at(secret, NOW)}).status_code == 302
    device = TotpDevice.objects.get(user=clerk)
    assert device.confirmed and device.secret == secret
    assert AuditEntry.objects.filter(action="user.second_factor_enrol", object_id=str(clerk.pk)).exists()
    assert secret not in str(list(AuditEntry.objects.values_list("before", "after")))
    assert client.get(HOME).status_code == 200  # this session is verified by the enrolment

    other = login(client.__class__(), clerk)
    response = other.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert other.get("/admin/").status_code == 302
    frozen.shift(31)
    bad = other.post(VERIFY, {"code": "123456"})
    assert bad.status_code == 422
    failure = AuditEntry.objects.get(action="signin.failure", object_id=str(clerk.pk))
    assert failure.after["channel"] == "otp"  # a wrong code counts under the one lockout
    ok = other.post(VERIFY, {"code": code_at(secret, clock.now()), "next": "/staff/catalog/"})
    assert ok.status_code == 302 and ok["Location"] == "/staff/catalog/"
    assert other.get(HOME).status_code == 200


@pytest.mark.django_db
def test_a_code_is_used_once_and_the_window_is_one_step(client, org, frozen):
    clerk = org.user("clerk")
    login(client, clerk)
    secret = enrol(client, clerk)
    frozen.shift(60)
    code = code_at(secret, clock.now())
    first = login(client.__class__(), clerk)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    second = login(client.__class__(), clerk)
    assert second.post(VERIFY, {"code": code}).status_code == 422  # reused
    assert second.post(VERIFY, {"code": code_at(secret, clock.now(), -1)}).status_code == 422  # older
    assert second.post(VERIFY, {"code": code_at(secret, clock.now(), 2)}).status_code == 422  # too far
    assert second.post(VERIFY, {"code": code_at(secret, clock.now(), 1)}).status_code == 302  # drift


ENFORCED = ["supervisor", "sysadmin", "secadmin", "auditor"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ENFORCED)
def test_the_setting_enforces_the_second_factor_for_the_four_roles(client, org, settings, frozen, name):
    user = org.user(name)
    user.is_staff = name != "supervisor"
    user.save()
    login(client, user)
    settings.REQUIRE_SECOND_FACTOR = False
    first = client.get(HOME)
    assert first.status_code in (200, 403)  # not held (403: a page this role may not open)
    settings.REQUIRE_SECOND_FACTOR = True
    held = login(client.__class__(), user)
    for path in (HOME, "/admin/"):
        response = held.get(path)
        assert response.status_code == 302 and response["Location"].startswith(ENROL), path
    assert held.get(ENROL).context["required"]
    assert post_token(client.__class__(), name, PASSWORD).json()["code"] == "otp_required"
    enrol(held, user)
    assert held.get(HOME).status_code in (200, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["clerk", "centeradmin", "sw-approver"])
def test_other_roles_are_not_forced(client, org, settings, name):
    settings.REQUIRE_SECOND_FACTOR = True
    login(client, org.user(name))
    response = client.get(HOME)
    assert response.status_code == 200


def test_the_setting_defaults_to_the_profile():
    from onewindow.conf import env

    assert env.VARIABLES["REQUIRE_SECOND_FACTOR"].default is None
    source = (env.BASE_DIR / "onewindow" / "conf" / "settings.py").read_text(encoding="utf-8")
    assert 'env.get("REQUIRE_SECOND_FACTOR") is not None else PRODUCTION' in source


@pytest.mark.django_db
def test_token_api_otp_field(client, org, frozen):
    clerk = org.user("clerk")
    web = login(client.__class__(), clerk)
    secret = enrol(web, clerk)
    frozen.shift(30)
    missing = post_token(client, "clerk", PASSWORD)
    assert missing.status_code == 401 and missing.json()["code"] == "otp_required"
    wrong = post_token(client, "clerk", PASSWORD, otp="000000")
    assert wrong.status_code == 401 and wrong.json()["code"] == "otp_invalid"
    code = code_at(secret, clock.now())
    ok = post_token(client, "clerk", PASSWORD, otp=code)
    assert ok.status_code == 200 and ok.json()["token"]
    again = post_token(client, "clerk", PASSWORD, otp=code)
    assert again.status_code == 401 and again.json()["code"] == "otp_invalid"
    # a wrong password is still just invalid credentials, whatever the code
    assert post_token(client, "clerk", "nope", otp=code).json()["code"] == "invalid_credentials"


@pytest.mark.django_db
def test_security_administrator_resets_a_second_factor(client, org, frozen):
    clerk = org.user("clerk")
    enrol(login(client.__class__(), clerk), clerk)
    with pytest.raises(ValidationFailed):
        services.totp_begin_enrolment(user=clerk)  # no silent replacement of a confirmed device
    with pytest.raises(PermissionDenied):
        services.totp_reset(user=clerk, actor=org.user("sysadmin"))
    admin = login(client, secadmin(org))
    response = admin.post(
        reverse("admin:org_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [clerk.pk]},
    )
    assert response.status_code == 302
    assert not TotpDevice.objects.filter(user=clerk).exists()
    entry = AuditEntry.objects.get(action="user.second_factor_reset", object_id=str(clerk.pk))
    assert entry.actor_id == org.user("secadmin").pk
    fresh = login(client.__class__(), clerk)
    assert fresh.get(HOME).status_code == 200  # a clerk is not forced to enrol again


@pytest.mark.django_db
def test_codes_cannot_be_guessed_in_a_row(client, org, frozen):
    clerk = org.user("clerk")
    secret = enrol(login(client.__class__(), clerk), clerk)
    frozen.shift(30)
    held = login(client, clerk)
    for _n in range(4):
        assert held.post(VERIFY, {"code": "000000"}).status_code == 422
    # the fifth wrong code is the fifth failure of the one lockout (issue 12 §1): locked
    assert held.post(VERIFY, {"code": "000000"}).status_code == 423
    limited = held.post(VERIFY, {"code": code_at(secret, clock.now())})
    assert limited.status_code == 423  # even the right code, until the lock ends
    token = post_token(client.__class__(), "clerk", PASSWORD, otp=code_at(secret, clock.now()))
    assert token.status_code == 423 and token.json()["code"] == "account_locked"
    frozen.shift(30 * 60)
    assert held.post(VERIFY, {"code": code_at(secret, clock.now())}).status_code == 302
