"""Shared set-up for benchmark scripts: Django on the scratch database, migrated."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any


def django_setup(*, migrate: bool = True) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.conf.settings")
    if "DATABASE_URL" in os.environ:
        _ensure_pg_database(os.environ["DATABASE_URL"])
    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def _ensure_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    base = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(base, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname=%s", (name,)).fetchone():
            conn.execute(f'create database "{name}"')


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s" if seconds > 0 else "inf"


@contextmanager
def timed(label: str, n: int) -> Any:
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    print(f"  {label:<58} {n:>9,} in {elapsed:7.3f} s = {rate(n, elapsed):>12}", flush=True)


def best_of(runs: int, fn: Callable[[], None]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
