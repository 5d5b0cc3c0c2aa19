"""Helpers for HTTP benchmarks: gunicorn on loopback and wrk as the load generator."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def ensure_wrk() -> str:
    """wrk from Debian's packages; installed with apt-get when missing and we are root."""
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
        path = shutil.which("wrk")
    if not path:
        sys.exit("wrk is needed for the HTTP benchmarks: apt-get install wrk")
    return path


class Gunicorn:
    def __init__(
        self,
        *,
        port: int,
        # 2 x cores sync workers, as docs/operations.md recommends behind nginx: on the 2-core
        # machine they beat 2 gthread workers x 4 threads for writes (no GIL contention while a
        # worker holds a write lock); BENCH_WORKERS / BENCH_THREADS override
        workers: int = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1)))),
        threads: int = int(os.environ.get("BENCH_THREADS", "1")),
        settings: str = "bench.bench_settings",
    ) -> None:
        self.port = port
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "onewindow.conf.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread" if threads > 1 else "sync",
                "--threads",
                str(threads),
                "--backlog",
                "256",
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/v1/calendar/years?first=2026&last=2026", timeout=2
                )
                return
            except Exception:
                time.sleep(0.3)
        self.stop()
        sys.exit("gunicorn did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@dataclass
class WrkResult:
    requests: int
    seconds: float
    errors_status: int
    errors_other: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self, label: str) -> str:
        errors = (
            f"  errors: {self.errors_status} status, {self.errors_other} other"
            if (self.errors_status or self.errors_other)
            else ""
        )
        return (
            f"  {label:<44} {self.rps:8.0f} req/s  p50 {self.p50_ms:6.1f} ms  p95 {self.p95_ms:6.1f} ms"
            f"  p99 {self.p99_ms:6.1f} ms{errors}"
        )


def wrk(
    url: str,
    script: str,
    *,
    seconds: int = 10,
    connections: int = 16,
    threads: int = 2,
    env: dict[str, str] | None = None,
) -> WrkResult:
    cmd = [
        ensure_wrk(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH / "lua" / script),
        url,
    ]
    out = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env={**os.environ, "THREADS": str(threads), **(env or {})},
        check=False,
        timeout=seconds + 60,
    )
    match = re.search(
        r"RESULT requests=(\d+) duration_us=(\d+) errors_status=(\d+) errors_other=(\d+) "
        r"p50_us=(\d+) p95_us=(\d+) p99_us=(\d+)",
        out.stdout,
    )
    if not match:
        raise RuntimeError(f"wrk failed: {out.stdout}\n{out.stderr}")
    r, d, es, eo, p50, p95, p99 = (int(x) for x in match.groups())
    return WrkResult(r, d / 1e6, es, eo, p50 / 1000, p95 / 1000, p99 / 1000)


def bare_baseline(base: str, tmp: Path, *, seconds: int) -> WrkResult:
    """The bare Ninja endpoint inserting one row (a 2-second warm-up, then the measured run):
    every HTTP write benchmark's baseline, measured in the same run as the path it times."""
    body = tmp / "bare.json"
    body.write_text(json.dumps({"note": "bench"}))
    wrk(f"{base}/bench/bare/insert", "post_json.lua", seconds=2, env={"BODY": str(body)})
    return wrk(f"{base}/bench/bare/insert", "post_json.lua", seconds=seconds, env={"BODY": str(body)})
