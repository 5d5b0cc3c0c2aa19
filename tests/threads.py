"""Running the same work in several threads at once (each with its own database connection),
for the concurrency tests: the threads wait at a barrier, then go together."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection


def run_together(n: int, work: Any) -> tuple[list[Any], list[BaseException]]:
    """Run `work(i)` for i in 0..n-1 in n threads released together; the results and the
    exceptions raised, each in completion order. Every thread closes its connection."""
    barrier = threading.Barrier(n)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcome = work(i)
        except BaseException as exc:
            outcome = exc
        finally:
            connection.close()
        with lock:
            (errors if isinstance(outcome, BaseException) else results).append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors
