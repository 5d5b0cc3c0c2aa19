"""The hall's queue over HTTP (issue 16 §7): ticket issue and call-next.

Set-up (in the scratch database, after `load_demo --no-history`): one business type per letter
of BUSINESSES (10), 100 windows serving all of them, a clerk with a bearer token at each window,
the ticket dispenser's token, and 5,000 waiting tickets (500 a business) made with bulk_create.

1. Call-next: 16 client processes (one keep-alive connection each) own the 100 windows between
   them; each loops over its windows: `POST /api/v1/queue/call-next` (timed), then start and
   finish the ticket it got (not timed) so that the window may call again. Twice: paced (the
   clients together start BENCH_QUEUE_PACE cycles a second, default 5: every window calling
   every 20 seconds) — the figure the target is about — and as a closed loop (each client as fast
   as it can: the saturation point, where latency is queueing). Each next to the bare Ninja
   endpoint driven the same way in the same run; then a check that no ticket was called
   twice and none was skipped (every called ticket is the first waiting one of the order when
   it was called: here, the called ones are exactly a prefix of the queue).
2. Ticket issue: wrk, 16 connections, `POST /api/v1/queue/tickets` by the dispenser's token,
   rotating over the businesses, next to the bare endpoint. Target >= 300 tickets/s.

Targets: call-next p95 <= 20 ms; issue >= 300/s. BENCH_SECONDS (default 10) sets each measurement.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from setup_db import django_setup, timed

PORT = int(os.environ.get("BENCH_PORT", "8769"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WINDOWS = 100
TICKETS = 5000
CLIENTS = 16
# call-next cycles a second of all 16 clients together in the paced run: 100 windows each calling
# every 20 seconds, about 10 to 15 times a busy hall's peak (a call every 3 to 5 minutes a window)
PACE = float(os.environ.get("BENCH_QUEUE_PACE", "5"))
BUSINESSES = "QRSTUVWXYK"


def _setup() -> tuple[list[tuple[str, str]], str, Any]:
    """The businesses, windows, clerks (with tokens), the dispenser and the waiting tickets."""
    import datetime as dt

    from django.contrib.auth.models import Group

    from onewindow.appointments.models import BusinessType
    from onewindow.core import clock
    from onewindow.hall.models import DaySequence, Ticket, WindowState
    from onewindow.hall.window_status import window_open
    from onewindow.org.models import Center, User, Window
    from onewindow.org.tokens import api_token_issue

    center = Center.objects.get(code=User.objects.get(username="clerk").center.code)
    clerks_group = Group.objects.get(name="window_clerk")
    kiosk_group = Group.objects.get(name="ticket_dispenser")
    businesses = []
    for letter in BUSINESSES:
        business, _ = BusinessType.objects.get_or_create(
            center=center, letter=letter, defaults={"name": f"压测业务{letter}", "daily_ticket_cap": 0}
        )
        businesses.append(business)
    windows = []
    clerks: list[tuple[str, str]] = []
    for i in range(WINDOWS):
        window, _ = Window.objects.get_or_create(
            center=center, code=f"Q{i:03d}", defaults={"name": f"压测窗口{i}"}
        )
        windows.append(window)
        user, created = User.objects.get_or_create(
            username=f"bench-clerk-{i:03d}",
            defaults={"center": center, "window": window, "full_name": f"压测{i}"},
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(clerks_group)
        _, token = api_token_issue(user=user)
        clerks.append((window.code, token))
    for business in businesses:
        business.windows.add(*windows)
    kiosk, created = User.objects.get_or_create(
        username="bench-kiosk", defaults={"center": center, "full_name": "压测取号机"}
    )
    if created:
        kiosk.set_unusable_password()
        kiosk.save()
        kiosk.groups.add(kiosk_group)
    _, kiosk_token = api_token_issue(user=kiosk)
    # a fresh day for the run: earlier runs' tickets are closed
    Ticket.objects.filter(center=center, status__in=Ticket.ACTIVE).update(
        status=Ticket.Status.NOT_SERVED, closed_at=clock.now()
    )
    # an earlier run's tickets were closed above: no window holds one any more (bench data)
    WindowState.objects.filter(window__in=windows).update(current=None, priority_run=0)
    open_ids = set(
        WindowState.objects.filter(window__in=windows, status=WindowState.Status.OPEN).values_list(
            "window_id", flat=True
        )
    )
    for window in windows:
        if window.pk not in open_ids:
            clerk = User.objects.get(window=window, username__startswith="bench-clerk-")
            window_open(window=window, actor=clerk)
    now = clock.now()
    day = clock.local(now).date()
    per = TICKETS // len(businesses)
    rows = []
    for b, business in enumerate(businesses):
        counter = DaySequence.objects.filter(business=business, date=day)
        start = counter.values_list("last", flat=True).first() or 0
        for n in range(1, per + 1):
            sequence = start + n
            rows.append(
                Ticket(
                    center=center,
                    business=business,
                    date=day,
                    sequence=sequence,
                    number=f"{business.letter}{sequence:03d}",
                    source=Ticket.Source.KIOSK,
                    issued_at=now - dt.timedelta(seconds=TICKETS - (n * len(businesses) + b)),
                    queued_at=now - dt.timedelta(seconds=TICKETS - (n * len(businesses) + b)),
                )
            )
        DaySequence.objects.update_or_create(business=business, date=day, defaults={"last": start + per})
    with timed("waiting tickets created (bulk_create)", len(rows)):
        Ticket.objects.bulk_create(rows, batch_size=1000)
    return clerks, kiosk_token, center


def _post(conn: http.client.HTTPConnection, path: str, token: str, body: dict[str, Any]) -> tuple[int, bytes]:
    conn.request(
        "POST",
        path,
        body=json.dumps(body),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    response = conn.getresponse()
    return response.status, response.read()


def _client(
    windows: list[tuple[str, str]],
    seconds: float,
    start: Any,
    out: Any,
    bare: bool,
    interval: float,
    phase: float,
) -> None:
    """One client: its windows in turn, one call-next cycle every `interval` seconds from
    `phase` of an interval on (the clients are spread over the interval, not in step), or as
    fast as it can when `interval` is 0 (a closed loop)."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    latencies: list[float] = []
    numbers: list[str] = []
    errors = 0
    start.wait()
    opened = time.perf_counter() + phase * interval
    deadline = opened + seconds
    i = 0
    while time.perf_counter() < deadline:
        if interval:
            pause = opened + i * interval - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        _code, token = windows[i % len(windows)]
        i += 1
        began = time.perf_counter()
        if bare:
            status, body = _post(conn, "/bench/bare/insert", token, {"note": "bench"})
            latencies.append(time.perf_counter() - began)
            errors += status >= 300
            continue
        status, body = _post(conn, "/api/v1/queue/call-next", token, {})
        latencies.append(time.perf_counter() - began)
        if status == 204:
            break
        if status != 200:
            errors += 1
            continue
        ticket = json.loads(body)
        numbers.append(ticket["number"])
        for action in ("start", "finish"):
            status, body = _post(
                conn, f"/api/v1/queue/tickets/{ticket['number']}/actions", token, {"action": action}
            )
            if status != 200:
                errors += 1
                break
    out.put((latencies, numbers, errors))


def _run_clients(
    clerks: list[tuple[str, str]], *, bare: bool, rate: float = 0.0
) -> tuple[list[float], list[str], int, float]:
    """16 client processes over `clerks`; `rate`: cycles per second of all clients together
    (0: a closed loop, each client as fast as it can)."""
    interval = CLIENTS / rate if rate else 0.0
    ctx = mp.get_context("fork")
    start = ctx.Event()
    out = ctx.Queue()
    groups = [clerks[i::CLIENTS] for i in range(CLIENTS)]
    procs = [
        ctx.Process(target=_client, args=(g, SECONDS, start, out, bare, interval, k / CLIENTS))
        for k, g in enumerate(groups)
    ]
    for p in procs:
        p.start()
    began = time.perf_counter()
    start.set()
    latencies: list[float] = []
    numbers: list[str] = []
    errors = 0
    for _ in procs:
        lat, nums, err = out.get()
        latencies += lat
        numbers += nums
        errors += err
    elapsed = time.perf_counter() - began
    for p in procs:
        p.join()
    return latencies, numbers, errors, elapsed


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000 if ordered else 0.0


def _line(label: str, latencies: list[float], elapsed: float, errors: int) -> str:
    rate = len(latencies) / elapsed if elapsed else 0.0
    return (
        f"  {label:<44} {rate:8.0f} req/s  p50 {_pct(latencies, 0.50):6.1f} ms"
        f"  p95 {_pct(latencies, 0.95):6.1f} ms"
        f"  p99 {_pct(latencies, 0.99):6.1f} ms" + (f"  errors: {errors}" if errors else "")
    )


def _verify(center: Any, numbers: list[str]) -> tuple[bool, str]:
    """No ticket called twice; the called ones are exactly the first of each business's queue
    (nothing skipped: with equal keys the order is queued_at, then the sequence)."""
    from onewindow.core import clock
    from onewindow.hall.models import Ticket

    day = clock.today()
    twice = len(numbers) - len(set(numbers))
    skipped = 0
    for letter in BUSINESSES:
        tickets = list(
            Ticket.objects.filter(center=center, date=day, business__letter=letter, number__in=numbers)
            .order_by("queued_at", "sequence")
            .values_list("queued_at", flat=True)
        )
        if not tickets:
            continue
        latest = tickets[-1]
        skipped += Ticket.objects.filter(
            center=center,
            date=day,
            business__letter=letter,
            status=Ticket.Status.WAITING,
            queued_at__lt=latest,
        ).count()
    return not twice and not skipped, f"{len(numbers)} called, {twice} twice, {skipped} skipped"


def main() -> None:
    django_setup()
    from django.core.management import call_command
    from django.db import connections
    from httpbench import Gunicorn, bare_baseline, wrk

    call_command("load_demo", "--no-history", verbosity=0)
    clerks, kiosk_token, center = _setup()
    tmp = Path(tempfile.mkdtemp(prefix="ow-bench-queue-"))
    connections.close_all()
    server = Gunicorn(port=PORT)
    base = f"http://127.0.0.1:{PORT}"
    try:
        _run_clients(clerks[:CLIENTS], bare=True)  # warm-up
        paced_bare = _run_clients(clerks, bare=True, rate=PACE)
        paced = _run_clients(clerks, bare=False, rate=PACE)
        bare_lat, _, bare_err, bare_elapsed = _run_clients(clerks, bare=True)
        call_lat, numbers, call_err, call_elapsed = _run_clients(clerks, bare=False)
        numbers = paced[1] + numbers
        bare = bare_baseline(base, tmp, seconds=SECONDS)
        issue = wrk(
            f"{base}/api/v1/queue/tickets",
            "queue_issue.lua",
            seconds=SECONDS,
            env={"TOKEN": kiosk_token, "LETTERS": BUSINESSES},
        )
    finally:
        server.stop()
    ok, summary = _verify(center, numbers)
    print(f"  paced: 16 clients, {PACE:.0f} call-next cycles/s together (call, start, finish)")
    print(_line("bare Ninja endpoint, paced", paced_bare[0], paced_bare[3], paced_bare[2]))
    print(_line("POST /api/v1/queue/call-next, paced", paced[0], paced[3], paced[2]))
    print("  closed loop: 16 clients as fast as they can (saturation)")
    print(_line("bare Ninja endpoint (16 client processes)", bare_lat, bare_elapsed, bare_err))
    print(_line("POST /api/v1/queue/call-next (16 clients)", call_lat, call_elapsed, call_err))
    print(f"  {summary}; 100 windows, {TICKETS} tickets waiting at the start")
    print(f"  no ticket called twice, none skipped: {'YES' if ok else 'NO'}")
    p95 = _pct(paced[0], 0.95)
    met = p95 <= 20 and not paced[2]
    print(f"  target call-next p95 <= 20 ms (paced): {'MET' if met else 'NOT MET'}")
    print(bare.line("bare Ninja endpoint inserting one row (wrk)"))
    print(issue.line("POST /api/v1/queue/tickets (16 clients)") + f"  ({issue.rps / bare.rps:.0%} of bare)")
    issued = issue.rps >= 300 and not issue.errors_status
    print(f"  target >= 300 tickets/s: {'MET' if issued else 'NOT MET'}")
    print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
