#!/usr/bin/env python
"""Run the benchmarks in separate processes against a scratch database and print the figures."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHES = {
    "calendar": "bench/bench_calendar.py",
    "intake": "bench/bench_intake.py",
    "http": "bench/bench_http.py",
    "sweep": "bench/bench_sweep.py",
    "lookup": "bench/bench_lookup.py",
    "search": "bench/bench_search.py",
    "bundle": "bench/bench_bundle.py",
    "appointments": "bench/bench_appointments.py",
    "online": "bench/bench_online_upload.py",
    "evaluations": "bench/bench_evaluations.py",
    "queue": "bench/bench_queue.py",
}
PG_URL = "postgres://postgres@127.0.0.1:5432/onewindow_bench"


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()}: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all: {', '.join(BENCHES)})")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    names = args.names or list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "onewindow.conf.settings", "PYTHONPATH": str(ROOT)}
    env["ONEWINDOW_VAR_DIR"] = os.environ.get("BENCH_VAR_DIR") or str(ROOT / "var" / "bench")
    env["HUEY_IMMEDIATE"] = "false"
    env["LOG_LEVEL"] = "WARNING"
    if args.db == "postgres":
        env["DATABASE_URL"] = PG_URL
    else:
        env.pop("DATABASE_URL", None)
    print(f"machine: {machine()}")
    print(f"database: {args.db}")
    failed = 0
    for name in names:
        print(f"\n== {name}", flush=True)
        result = subprocess.run([sys.executable, BENCHES[name]], cwd=ROOT, env=env, check=False)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
