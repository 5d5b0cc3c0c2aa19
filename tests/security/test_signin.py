"""Issue 12 §1, sign-in (GB/T 22239 身份鉴别): one lockout for every way in, a per-address limit,
the client address from a trusted proxy only, session timeouts, access that ends on a password
change, a deactivation or a role change, and the audit trail of all of it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse

from onewindow.core import clock
from onewindow.core.errors import PermissionDenied
from onewindow.core.middleware import client_ip
from onewindow.core.models import AuditEntry
from onewindow.org import services
from onewindow.org.models import ApiToken, SignInLock
from onewindow.org.signin import AccountLocked, InvalidCredentials, signin_authenticate, signin_unlock
from tests.factories import PASSWORD

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/me"
PROXY = {"REMOTE_ADDR": "10.0.0.2"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def web_login(client, username, password, **extra):
    return client.post(reverse("web:login"), {"username": username, "password": password}, **extra)


def admin_login(client, username, password, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **extra,
    )


def api_token(client, username, password, **extra):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json", **extra
    )


def login_error(response) -> str:
    text = response.content.decode()
    start = text.find('data-testid="login-error"')
    return text[start : text.find("</div>", start)] if start >= 0 else ""


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def entries(action: str):
    return AuditEntry.objects.filter(action=action).order_by("id")


# --- one lockout for every way in ------------------------------------------------------------


@pytest.mark.django_db
def test_five_wrong_passwords_on_the_staff_page_lock_the_admin_and_the_api(client, org):
    for _ in range(settings.LOCKOUT_FAILURES):
        web_login(client, "secadmin", "wrong")
    response = admin_login(client, "secadmin", PASSWORD)
    assert response.status_code == 200
    assert not signed_in(client)
    assert "已锁定" in response.content.decode()
    api = api_token(client, "secadmin", PASSWORD)
    assert api.status_code == 423
    body = api.json()
    assert body["code"] == "account_locked"
    assert dt.datetime.fromisoformat(body["details"]["locked_until"]) > clock.now() + dt.timedelta(minutes=29)
    assert "安全管理员" in body["message"]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_failures_on_the_api_and_the_admin_lock_the_staff_page(client, org):
    assert settings.LOCKOUT_FAILURES == 5
    for _ in range(2):
        assert api_token(client, "secadmin", "wrong").status_code == 401
    for _ in range(2):
        assert admin_login(client, "secadmin", "wrong").status_code == 200
    assert api_token(client, "secadmin", "wrong").status_code == 423  # the fifth, any channel
    response = web_login(client, "secadmin", PASSWORD)
    assert response.status_code == 423
    assert not signed_in(client)
    text = response.content.decode()
    assert "已锁定" in text and "安全管理员" in text


@pytest.mark.django_db
def test_the_hall_channel_counts_too(org):
    request = RequestFactory().post("/hall/login", REMOTE_ADDR="192.0.2.1")
    for _ in range(settings.LOCKOUT_FAILURES - 1):
        with pytest.raises(InvalidCredentials):
            signin_authenticate(request=request, username="clerk", password="wrong", channel="hall")
    with pytest.raises(AccountLocked):
        signin_authenticate(request=request, username="clerk", password="wrong", channel="hall")
    with pytest.raises(AccountLocked):
        signin_authenticate(request=request, username="clerk", password=PASSWORD, channel="hall")


@pytest.mark.django_db
def test_unknown_usernames_are_counted_and_answered_the_same(client, org):
    def answers(username):
        found = [api_token(client, username, "wrong") for _ in range(settings.LOCKOUT_FAILURES + 1)]
        found.append(api_token(client, username, PASSWORD))
        return [(r.status_code, r.json()) for r in found]

    with time_machine.travel(clock.now(), tick=False):
        known, unknown = answers("clerk"), answers("nobody-here")
        assert known == unknown  # same statuses, codes, messages and lock ends: nothing to enumerate
        assert [status for status, _body in known] == [401] * (settings.LOCKOUT_FAILURES - 1) + [423] * 3
        pages = [web_login(client, name, "x") for name in ("clerk", "nobody-here")]
        assert [p.status_code for p in pages] == [423, 423]
        assert login_error(pages[0]) == login_error(pages[1]) != ""


@pytest.mark.django_db
def test_the_lock_ends_after_thirty_minutes_and_survives_a_restart(client, org):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for _ in range(settings.LOCKOUT_FAILURES):
            web_login(client, "clerk", "wrong")
        cache.clear()  # a restart: nothing kept in memory matters, the lock is a database row
        assert SignInLock.objects.filter(username="clerk").exists()
        traveller.shift(dt.timedelta(minutes=settings.LOCKOUT_MINUTES - 1))
        assert web_login(client, "clerk", PASSWORD).status_code == 423
        traveller.shift(dt.timedelta(minutes=2))
        assert web_login(client, "clerk", PASSWORD).status_code == 302
        assert signed_in(client)


@pytest.mark.django_db
def test_a_security_administrator_unlocks_in_the_admin(client, org):
    clerk = org.user("clerk")
    for _ in range(settings.LOCKOUT_FAILURES):
        api_token(client, "clerk", "wrong")
    client.force_login(org.user("secadmin"))
    response = client.post(
        reverse("admin:org_user_changelist"),
        {"action": "unlock_accounts", "_selected_action": [clerk.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "已解锁 1 个" in response.content.decode()
    unlock = entries("signin.unlock").get()
    assert unlock.actor == org.user("secadmin") and unlock.object_id == str(clerk.pk)
    assert unlock.before["locked_until"]
    assert api_token(client, "clerk", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_the_security_administrator_lists_and_unlocks_the_locks(client, org):
    for name in ("clerk", "nobody-here"):
        for _ in range(settings.LOCKOUT_FAILURES):
            api_token(client, name, "wrong")
    url = reverse("admin:org_signinlock_changelist")
    client.force_login(org.user("sysadmin"))
    assert client.get(url).status_code == 403
    client.force_login(org.user("secadmin"))
    page = client.get(url)
    assert page.status_code == 200
    assert "clerk" in page.content.decode()
    locks = SignInLock.objects.order_by("username")
    response = client.post(
        url, {"action": "unlock_accounts", "_selected_action": [lock.pk for lock in locks]}
    )
    assert response.status_code == 302
    assert list(SignInLock.objects.values_list("username", flat=True)) == ["nobody-here"]  # no account
    assert api_token(client, "clerk", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_only_a_security_administrator_unlocks(org):
    with pytest.raises(PermissionDenied):
        signin_unlock(user=org.user("clerk"), actor=org.user("supervisor"))


# --- per-address limit ---------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(SIGNIN_ADDRESS_FAILURES=6)
def test_one_address_trying_many_usernames_is_limited(client, org):
    for name in ("clerk", "supervisor", "nobody1"):
        for _ in range(2):
            assert api_token(client, name, "wrong").status_code == 401
    response = api_token(client, "auditor", PASSWORD)  # even the right password of another account
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert response.json()["details"]["retry_after_seconds"] > 0
    assert web_login(client, "auditor", PASSWORD).status_code == 429
    assert not signed_in(client)
    # another address is not limited
    assert api_token(client, "auditor", PASSWORD, REMOTE_ADDR="192.0.2.77").status_code == 200


# --- the client address from a trusted proxy only ----------------------------------------------


def _ip(remote, header=None, **settings_):
    meta = {"REMOTE_ADDR": remote}
    if header is not None:
        meta["HTTP_X_FORWARDED_FOR"] = header
    with override_settings(**settings_):
        return client_ip(RequestFactory().get("/", **meta))


def test_client_ip_takes_the_header_only_from_a_trusted_proxy():
    trusted = {"TRUSTED_PROXIES": ["10.0.0.0/24", "::1"]}
    assert _ip("10.0.0.2", "203.0.113.7", **trusted) == "203.0.113.7"
    # forged entries on the left are ignored: the right-most untrusted one is the client
    assert _ip("10.0.0.2", "1.2.3.4, 203.0.113.7, 10.0.0.5", **trusted) == "203.0.113.7"
    assert _ip("::1", "2001:db8::7", **trusted) == "2001:db8::7"
    assert _ip("10.0.0.2", "203.0.113.7:51234", **trusted) == "203.0.113.7"
    # an untrusted peer's header is ignored; without proxies any header is ignored
    assert _ip("192.0.2.9", "203.0.113.7", **trusted) == "192.0.2.9"
    assert _ip("10.0.0.2", "203.0.113.7", TRUSTED_PROXIES=[]) == "10.0.0.2"
    # malformed headers never crash
    assert _ip("10.0.0.2", "", **trusted) == "10.0.0.2"
    assert _ip("10.0.0.2", "garbage, \x00, 999.1.1.1", **trusted) == "10.0.0.2"
    assert _ip("10.0.0.2", "203.0.113.7, not-an-ip", **trusted) == "10.0.0.2"
    assert _ip("10.0.0.2", ",,," + "9" * 5000, **trusted) == "10.0.0.2"
    # another header name
    with override_settings(TRUSTED_PROXIES=["10.0.0.2"], TRUSTED_PROXY_HEADER="X-Real-IP"):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="203.0.113.8")
        assert client_ip(request) == "203.0.113.8"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"], SIGNIN_ADDRESS_FAILURES=3)
def test_the_forwarded_address_is_in_the_audit_and_the_limits(client, org):
    behind = {**PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.7"}
    for _ in range(3):
        web_login(client, "nobody", "wrong", **behind)
    assert {e.ip for e in entries("signin.failure")} == {"203.0.113.7"}
    assert web_login(client, "clerk", PASSWORD, **behind).status_code == 429
    # another client behind the same proxy is not limited
    other = {**PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    assert web_login(client, "clerk", PASSWORD, **other).status_code == 302
    assert entries("signin.success").get().ip == "203.0.113.8"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"], SIGNIN_ADDRESS_FAILURES=3)
def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(client, org):
    for n in range(3):
        spoofed = {"REMOTE_ADDR": "192.0.2.50", "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        api_token(client, "nobody", "wrong", **spoofed)
    assert {e.ip for e in entries("signin.failure")} == {"192.0.2.50"}
    # changing the header does not escape the limit
    spoofed = {"REMOTE_ADDR": "192.0.2.50", "HTTP_X_FORWARDED_FOR": "203.0.113.99"}
    assert api_token(client, "clerk", PASSWORD, **spoofed).status_code == 429


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"], PROGRESS_LOOKUPS_PER_MINUTE=2)
def test_the_public_progress_lookup_limits_the_forwarded_address(client, org):
    def lookup(address):
        extra = {**PROXY, "HTTP_X_FORWARDED_FOR": address}
        return client.get("/api/v1/public/progress", {"number": "X", "code": "1234"}, **extra).status_code

    assert [lookup("203.0.113.7") for _ in range(3)] == [404, 404, 429]
    assert lookup("203.0.113.8") == 404  # another client behind the same proxy


# --- sessions ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_idle_timeout_signs_out_and_says_why(client, org):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        assert web_login(client, "clerk", PASSWORD).status_code == 302
        for _ in range(3):  # activity keeps the session
            traveller.shift(dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 5))
            assert client.get(reverse("web:home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1))
        response = client.get(reverse("web:home"), follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("web:login"))
        assert "无操作" in response.content.decode()
        assert not signed_in(client)
    timeout = entries("signin.timeout").get()
    assert timeout.after == {"channel": "web", "reason": "idle"}
    assert timeout.actor == org.user("clerk")


@pytest.mark.django_db
def test_the_absolute_timeout_signs_out_an_active_session(client, org):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        assert web_login(client, "clerk", PASSWORD).status_code == 302
        steps = settings.SESSION_ABSOLUTE_HOURS * 3
        for _ in range(steps - 1):
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get(reverse("web:home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=21))
        response = client.get(reverse("web:home"), follow=True)
        assert "小时" in response.content.decode() and "重新登录" in response.content.decode()
        assert not signed_in(client)
    assert entries("signin.timeout").get().after["reason"] == "absolute"


@pytest.mark.django_db
def test_the_boards_background_refresh_is_not_activity(client, org):
    board = reverse("web:supervision_board")
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_X_OW_POLL": "1"}
    with time_machine.travel(clock.now(), tick=False) as traveller:
        assert web_login(client, "supervisor", PASSWORD).status_code == 302
        assert "X-OW-Poll" in client.get(reverse("web:supervision")).content.decode()  # the board asks for it
        for _ in range(settings.SESSION_IDLE_MINUTES * 2 - 1):  # a poll every 30 seconds
            traveller.shift(dt.timedelta(seconds=30))
            assert client.get(board, **poll).status_code == 200
        traveller.shift(dt.timedelta(seconds=61))
        response = client.get(board, **poll)
        assert response["HX-Refresh"] == "true"  # htmx reloads the page, which shows the sign-in
        assert not signed_in(client)
    assert entries("signin.timeout").get().after["reason"] == "idle"


def _token(org, name):
    _row, raw = services.api_token_issue(user=org.user(name))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["password", "deactivate", "roles", "roles_by_update"])
def test_tokens_and_sessions_end_on_password_disable_and_role_change(client, org, change):
    secadmin = org.user("secadmin")
    auth = _token(org, "scjg-reviewer")
    assert client.get(ME_URL, **auth).status_code == 200
    assert web_login(client, "scjg-reviewer", PASSWORD).status_code == 302
    reviewer = org.user("scjg-reviewer")
    if change == "password":
        services.user_set_password(user=reviewer, password="Zx9!kq2#Lm7v", actor=secadmin)
    elif change == "deactivate":
        services.user_deactivate(user=reviewer, actor=secadmin)
    elif change == "roles":
        services.user_set_roles(user=reviewer, roles=["approver"], actor=secadmin)
    else:
        services.user_update(user=reviewer, roles=["approver"], actor=secadmin)
    assert client.get(ME_URL, **auth).status_code == 401
    assert not ApiToken.objects.filter(user=reviewer, revoked=False).exists()
    assert client.get(reverse("web:home")).status_code == 302  # the session ended too
    ended = entries("user.access_end").get()
    assert ended.object_id == str(reviewer.pk) and ended.after["tokens_revoked"] == 1
    assert ended.actor == secadmin


@pytest.mark.django_db
def test_the_admin_password_change_page_ends_tokens_but_keeps_this_session(client, org):
    secadmin = org.user("secadmin")
    auth = _token(org, "secadmin")
    other = type(client)()
    assert admin_login(client, "secadmin", PASSWORD).status_code == 302
    assert admin_login(other, "secadmin", PASSWORD).status_code == 302
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "Zx9!kq2#Lm7v", "new_password2": "Zx9!kq2#Lm7v"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get(ME_URL, **auth).status_code == 401
    assert client.get(reverse("admin:index")).status_code == 200  # this session goes on
    assert other.get(reverse("admin:index")).status_code == 302  # the other one ended
    assert entries("user.set_password").get().object_id == str(secadmin.pk)


@pytest.mark.django_db
def test_a_re_enabled_account_does_not_revive_its_old_session(client, org):
    secadmin = org.user("secadmin")
    assert web_login(client, "clerk", PASSWORD).status_code == 302
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    services.user_deactivate(user=org.user("clerk"), actor=secadmin)
    services.user_update(user=org.user("clerk"), is_active=True, actor=secadmin)
    client.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    assert client.get(reverse("web:home")).status_code == 302
    assert not signed_in(client)
    # a new sign-in works
    assert web_login(client, "clerk", PASSWORD).status_code == 302


# --- audit ------------------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_every_sign_in_event_is_audited_with_the_real_address_and_channel(client, org):
    behind = {**PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert web_login(client, "clerk", PASSWORD, **behind).status_code == 302
    client.post(reverse("web:logout"), **behind)
    assert admin_login(client, "secadmin", PASSWORD, **behind).status_code == 302
    client.post(reverse("admin:logout"), **behind)
    assert api_token(client, "supervisor", PASSWORD, **behind).status_code == 200
    for _ in range(settings.LOCKOUT_FAILURES):
        web_login(client, "clerk", "secret-guess", **behind)
    web_login(client, "clerk", PASSWORD, **behind)
    client.force_login(org.user("secadmin"))
    client.post(
        reverse("admin:org_user_changelist"),
        {"action": "unlock_accounts", "_selected_action": [org.user("clerk").pk]},
        **behind,
    )

    signins = entries("signin.success")
    assert [(e.actor_name, e.after["channel"]) for e in signins] == [
        ("clerk", "web"),
        ("secadmin", "admin"),
        ("supervisor", "api"),
    ]
    assert [e.after["channel"] for e in entries("signin.logout")] == ["web", "admin"]
    failures = entries("signin.failure")
    assert failures.count() == settings.LOCKOUT_FAILURES
    assert all(e.after == {"username": "clerk", "channel": "web"} for e in failures)
    assert all("secret-guess" not in str(e.after) + str(e.before) + e.object_repr for e in failures)
    assert entries("signin.lockout").get().after["failures"] == settings.LOCKOUT_FAILURES
    assert entries("signin.refused").get().after["reason"] == "locked"
    assert entries("signin.unlock").count() == 1
    audited = AuditEntry.objects.filter(action__startswith="signin.")
    assert {e.ip for e in audited} == {"203.0.113.7"}
