"""Working-day arithmetic: the calendar table against a bare baseline, per call."""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from setup_db import best_of, django_setup


def main() -> None:
    django_setup()
    from onewindow.calendar import selectors

    rng = random.Random(42)
    starts = [dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 2400)) for _ in range(100_000)]
    days = [rng.randrange(0, 60) for _ in starts]

    build = best_of(5, lambda: (selectors.invalidate(), selectors.table()))
    print(f"  build the table from the database (best of 5)              {build * 1000:8.1f} ms")
    table = selectors.table()

    def bare() -> None:
        for s, n in zip(starts, days, strict=True):
            s + dt.timedelta(days=n)

    def add() -> None:
        for s, n in zip(starts, days, strict=True):
            table.add_working_days(s, n)

    def count() -> None:
        for s, n in zip(starts, days, strict=True):
            table.count_working_days(s, s + dt.timedelta(days=n))

    n = len(starts)
    base = best_of(3, bare)
    t_add = best_of(3, add)
    t_count = best_of(3, count)
    print(f"  bare baseline: date + timedelta                           {base / n * 1e6:8.3f} µs/call")
    print(
        f"  add_working_days                                          {t_add / n * 1e6:8.3f} µs/call"
        f"  ({t_add / base:.1f}× baseline)"
    )
    print(
        f"  count_working_days                                        {t_count / n * 1e6:8.3f} µs/call"
        f"  ({t_count / base:.1f}× baseline)"
    )


if __name__ == "__main__":
    main()
