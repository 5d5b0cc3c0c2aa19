"""Fixed-window rate limits kept in Django's cache (the public progress lookup; sign-in has its own
rule in org.signin, kept in the database).

`check_rate(key=..., limit=5, window_seconds=60)` allows 5 calls per key in each 60-second
window and answers False for the rest of that window. With the local-memory cache (the default)
each process counts on its own; set REDIS_URL to share the counters between processes.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

from onewindow.core import clock


def _cache_key(key: str, window_seconds: int, window: int) -> str:
    # Hash the caller's key: it may hold user input (a username) that is not a valid cache key.
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"ratelimit:{window_seconds}:{window}:{digest}"


def check_rate(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one call for `key`; True while at most `limit` calls fell in the current window."""
    if limit < 1 or window_seconds < 1:
        raise ValueError("limit and window_seconds must be positive")
    now = clock.now().timestamp()
    window = int(now // window_seconds)
    cache_key = _cache_key(key, window_seconds, window)
    # Keep the counter a little longer than its window so it is never dropped while counting.
    timeout = window_seconds - int(now % window_seconds) + 1
    if cache.add(cache_key, 1, timeout=timeout):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr: start the window again
            cache.set(cache_key, 1, timeout=timeout)
            count = 1
    return count <= limit


def reset_rate(*, key: str, window_seconds: int) -> None:
    """Forget the current window's count for `key` (e.g. after a successful sign-in)."""
    window = int(clock.now().timestamp() // window_seconds)
    cache.delete(_cache_key(key, window_seconds, window))
