"""What every API request needs to know about its caller, kept per process for a few seconds.

An API call authenticates with a bearer token (one query: the token and its account, checked on
every request, so a revoked token or a disabled account is refused at once). Deciding what the
caller may do then needs the account's permissions (two queries), its posts (one), its window
and its center (one each): five queries that give the same answer for every call of the same
account. `prime(user)` fills them from a per-process copy at most ACTOR_CACHE_SECONDS old, and
puts them on the user object, where the code that asks looks: `ow_perms` (answered by the
authentication backend `org.backends.StaffBackend`), `ow_post_ids` and `ow_window` (read by
`cases.permissions`), and the center and window relations.

A change of roles, posts, window or data scope made in this process drops the copy at once
(signals in org/apps.py); other processes see it within ACTOR_CACHE_SECONDS. See
docs/adr/0012-api-actor-cache.md.
"""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass
from typing import Any

from onewindow.org.models import Center, User, Window

ACTOR_CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class _Actor:
    at: float
    perms: frozenset[str]
    post_ids: frozenset[int]
    window: Window | None
    center: Center | None
    # the account fields the copy depends on: a different value means the copy is stale
    stamp: tuple[Any, ...]


_actors: dict[int, _Actor] = {}
_lock = threading.Lock()


# The account fields a copy depends on, read fresh with the token on every request.
STAMP_COLUMNS = ("center_id", "department_id", "window_id", "data_scope", "is_superuser")


def _stamp(user: User) -> tuple[Any, ...]:
    return tuple(getattr(user, column) for column in STAMP_COLUMNS)


_accounts: dict[int, tuple[float, User]] = {}


def account(user_id: int, stamp: tuple[Any, ...]) -> User | None:
    """The account `user_id` as this process last read it (at most ACTOR_CACHE_SECONDS ago),
    if its access fields still equal `stamp` (as just read from the database); else read now.
    A fresh object each time: callers may set request-specific attributes on it."""
    cached = _accounts.get(user_id)
    fresh = cached is not None and time.monotonic() - cached[0] < ACTOR_CACHE_SECONDS
    if cached is not None and fresh and _stamp(cached[1]) == stamp:  # SQLite's 0/1 == False/True
        return copy.copy(cached[1])
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        with _lock:
            if len(_accounts) > 10_000:
                _accounts.clear()
            _accounts[user_id] = (time.monotonic(), copy.copy(user))
    return user


def prime(user: User) -> None:
    """Load `user`'s permissions, posts, window and center from the per-process copy (or the
    database, refreshing the copy). Afterwards `user.has_perm(...)` costs no query."""
    now = time.monotonic()
    stamp = _stamp(user)
    actor = _actors.get(user.pk)
    if actor is None or now - actor.at >= ACTOR_CACHE_SECONDS or actor.stamp != stamp:
        perms = frozenset(user.get_all_permissions()) if user.is_active else frozenset()
        post_ids = frozenset(user.posts.values_list("id", flat=True))
        window = Window.objects.filter(pk=user.window_id).first() if user.window_id else None
        center = Center.objects.filter(pk=user.center_id).first() if user.center_id else None
        actor = _Actor(at=now, perms=perms, post_ids=post_ids, window=window, center=center, stamp=stamp)
        with _lock:
            if len(_actors) > 10_000:
                _actors.clear()
            _actors[user.pk] = actor
    user.ow_perms = actor.perms  # answered by org.backends.StaffBackend
    user.ow_post_ids = actor.post_ids
    user.ow_window, user.ow_window_loaded = actor.window, True
    cache = user._state.fields_cache
    if user.center_id and "center" not in cache:
        cache["center"] = actor.center
    if user.window_id and "window" not in cache:
        cache["window"] = actor.window


def forget(**_kwargs: Any) -> None:
    """Drop this process's copies (connected to the signals of roles, posts and accounts)."""
    with _lock:
        _actors.clear()
        _accounts.clear()
