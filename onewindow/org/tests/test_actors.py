"""The per-process copy of an API caller's permissions, posts, window and center."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onewindow.org import actors
from onewindow.org.models import User
from onewindow.org.services import api_token_authenticate, api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on() -> Any:
    actors.forget()
    yield
    actors.forget()


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # a new object per request, as the token lookup gives


def test_a_recent_caller_costs_no_query_and_gets_the_same_answers(org: Any) -> None:
    clerk = org.user("clerk")
    first = _fresh(clerk)
    actors.prime(first)
    expected = (first.has_perm("cases.accept_case"), first.has_perm("org.manage_accounts"))
    assert expected == (True, False)
    second = _fresh(clerk)
    post_ids = frozenset(clerk.posts.values_list("id", flat=True))
    assert post_ids
    with CaptureQueriesContext(connection) as queries:
        actors.prime(second)
        answers = (second.has_perm("cases.accept_case"), second.has_perm("org.manage_accounts"))
        assert second.center == clerk.center and second.window == clerk.window
        assert second.ow_post_ids == post_ids
    assert answers == expected
    assert queries.captured_queries == []


def test_a_role_change_in_this_process_is_seen_at_once(org: Any) -> None:
    clerk = org.user("clerk")
    user = _fresh(clerk)
    actors.prime(user)
    assert user.has_perm("cases.accept_case")
    clerk.groups.clear()  # the m2m signal drops the copies
    user = _fresh(clerk)
    actors.prime(user)
    assert not user.has_perm("cases.accept_case")


def test_a_changed_account_field_or_an_old_copy_is_read_again(org: Any, monkeypatch: Any) -> None:
    clerk = org.user("clerk")
    actors.prime(_fresh(clerk))
    # changed by another process: no signal here, but the window is part of the stamp
    User.objects.filter(pk=clerk.pk).update(window=None)
    user = _fresh(clerk)
    with CaptureQueriesContext(connection) as queries:
        actors.prime(user)
    assert queries.captured_queries and user.ow_window is None
    # a copy older than ACTOR_CACHE_SECONDS is read again
    clock = [1000.0]
    monkeypatch.setattr(actors.time, "monotonic", lambda: clock[0])
    actors.prime(_fresh(clerk))
    clock[0] += actors.ACTOR_CACHE_SECONDS + 0.1
    with CaptureQueriesContext(connection) as queries:
        actors.prime(_fresh(clerk))
    assert queries.captured_queries


def test_revoked_tokens_and_disabled_accounts_are_refused_at_once(org: Any) -> None:
    clerk = org.user("clerk")
    token, raw = api_token_issue(user=clerk)
    user = api_token_authenticate(raw)
    assert user is not None
    actors.prime(user)
    User.objects.filter(pk=clerk.pk).update(is_active=False)  # as another process would
    assert api_token_authenticate(raw) is None
    User.objects.filter(pk=clerk.pk).update(is_active=True)
    assert api_token_authenticate(raw) is not None
    api_token_revoke(token=token, actor=clerk)
    assert api_token_authenticate(raw) is None


def test_the_account_copy_is_used_only_while_its_access_fields_match(org: Any) -> None:
    clerk = org.user("clerk")
    _token, raw = api_token_issue(user=clerk)
    first = api_token_authenticate(raw)
    assert first is not None and first.pk == clerk.pk
    first.some_request_attribute = 1  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as queries:
        again = api_token_authenticate(raw)
    assert again is not None and again is not first and not hasattr(again, "some_request_attribute")
    assert len(queries.captured_queries) == 1  # the token with the account's access fields
    User.objects.filter(pk=clerk.pk).update(department=org.dept_b)  # in another process
    moved = api_token_authenticate(raw)
    assert moved is not None and moved.department_id == org.dept_b.pk
