"""Booking appointments over HTTP (issue 14 §3): POST /api/v1/public/appointments under 16
clients (wrk, gunicorn), next to the bare Ninja endpoint measured in the same run, then a check
that no slot is overbooked.

A business type of the demo center is made for the run (letter X) with the demo's rules
(09:00–12:00, 13:30–17:00, 30-minute slots) but CAPACITY places per slot, so that the measured
bookings are real ones, plus one after-hours slot of 3 places that the clients hit often (slot_full
answers under contention). Every request books with a new valid ID number. Afterwards every
slot's counter must equal its active bookings and never exceed its capacity.

Target: >= 200 bookings/s. BENCH_SECONDS (default 10) sets the duration of each measurement.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from setup_db import django_setup

PORT = int(os.environ.get("BENCH_PORT", "8767"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CAPACITY = int(os.environ.get("BENCH_CAPACITY", "400"))
HOT_CAPACITY = 3
LETTER = "X"


def _business(center: Any) -> tuple[Any, list[str]]:
    """The run's business type (its earlier bookings and counters removed) and its slots."""
    from onewindow.appointments import schedule
    from onewindow.appointments.models import Booking, BusinessType, ExtraSlot, Slot, SlotRule

    business, _ = BusinessType.objects.get_or_create(
        center=center, letter=LETTER, defaults={"name": "基准测试业务"}
    )
    Booking.objects.filter(business=business).delete()
    Slot.objects.filter(business=business).delete()
    SlotRule.objects.filter(business=business).delete()
    ExtraSlot.objects.filter(business=business).delete()
    for start, end in ((dt.time(9), dt.time(12)), (dt.time(13, 30), dt.time(17))):
        SlotRule.objects.create(
            business=business,
            start=start,
            end=end,
            slot_minutes=30,
            capacity=CAPACITY,
            valid_from=dt.date(2026, 1, 1),
        )
    days = schedule.bookable_days(business)
    ExtraSlot.objects.create(
        business=business, date=days[0], start=dt.time(17, 30), end=dt.time(18), capacity=HOT_CAPACITY
    )
    lines = []
    for day in days:
        for slot in schedule.planned_slots(business, day):
            lines.append(f"{day.isoformat()} {slot.start:%H:%M}")
    hot = f"{days[0].isoformat()} 17:30"
    lines += [hot] * 8  # the contended slot
    return business, lines


def _verify(business: Any) -> tuple[bool, int, str]:
    from django.db.models import Count, Q

    from onewindow.appointments.models import Booking, Slot

    slots = Slot.objects.filter(business=business).annotate(
        active=Count("bookings", filter=Q(bookings__status=Booking.Status.BOOKED))
    )
    over = [s for s in slots if s.booked > s.capacity or s.booked != s.active]
    total = Booking.objects.filter(business=business).count()
    hot = next((s for s in slots if s.capacity == HOT_CAPACITY), None)
    hot_line = f"contended slot: {hot.booked}/{hot.capacity} booked" if hot else "contended slot not reached"
    return not over, total, hot_line


def main() -> None:
    django_setup()
    from django.core.management import call_command
    from django.db import connections
    from httpbench import Gunicorn, bare_baseline, wrk

    call_command("load_demo", "--no-history", verbosity=0)
    from onewindow.org.models import User
    from onewindow.org.services import api_token_issue

    clerk = User.objects.get(username="clerk")
    business, lines = _business(clerk.center)
    _, token = api_token_issue(user=clerk)
    tmp = Path(tempfile.mkdtemp(prefix="ow-bench-appt-"))
    (tmp / "slots.txt").write_text("\n".join(lines) + "\n")
    print(
        f"  business {LETTER} (id {business.pk}): {len(set(lines))} slots of {CAPACITY} places"
        f" over 5 days, 1 of {HOT_CAPACITY}"
    )
    connections.close_all()
    server = Gunicorn(port=PORT)
    base = f"http://127.0.0.1:{PORT}"
    env = {"SLOTS": str(tmp / "slots.txt"), "TOKEN": token, "BUSINESS": str(business.pk)}
    try:
        bare = bare_baseline(base, tmp, seconds=SECONDS)
        booking = wrk(f"{base}/api/v1/public/appointments", "book.lua", seconds=SECONDS, env=env)
    finally:
        server.stop()
    ok, total, hot_line = _verify(business)
    per_second = total / booking.seconds if booking.seconds else 0.0
    print(bare.line("bare Ninja endpoint inserting one row"))
    print(
        booking.line("POST /api/v1/public/appointments (16 clients)")
        + f"  ({booking.rps / bare.rps:.0%} of bare)"
    )
    print(f"  {total} bookings made = {per_second:.0f} bookings/s; {hot_line}")
    print(f"  every slot's counter = its active bookings <= capacity: {'YES' if ok else 'NO (OVERBOOKED)'}")
    met = ok and per_second >= 200 and not booking.errors_status
    print(
        f"  target >= 200 bookings/s, no slot overbooked, no unexpected answer: {'MET' if met else 'NOT MET'}"
    )
    print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
