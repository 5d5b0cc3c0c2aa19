"""Start the web server and the background worker together (what `make run` uses).

Ctrl-C stops both. Production runs gunicorn and `manage.py run_huey` separately (docs/operations.md).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from onewindow.core.public_url import SERVED_URL_VARIABLE, public_base_url, served_url


class Command(BaseCommand):
    help = "Run the web server and the background worker together; Ctrl-C stops both."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, host: str, port: str, **options: Any) -> None:
        base = served_url(host, port)
        # Notices and messages encode this address unless PUBLIC_BASE_URL is set; the worker
        # inherits it with the environment.
        os.environ[SERVED_URL_VARIABLE] = base
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--quiet"],
            cwd=str(settings.BASE_DIR),
            env={**os.environ},
        )
        self.stdout.write(self.style.SUCCESS(f"onewindow is starting on {base}/"))
        self.stdout.write(f"  staff pages: {base}/staff/   admin: {base}/admin/")
        self.stdout.write(f"  API docs:    {base}/api/v1/docs")
        self.stdout.write(f"  notices and QR codes link to: {public_base_url()}/")
        self.stdout.write(
            "  demo logins (password: onewindow-demo): clerk, supervisor, centeradmin, auditor,"
        )
        self.stdout.write("    scjg-reviewer, scjg-approver, scjg-chief ... (see README.md)")
        self.stdout.write(f"  background worker: pid {worker.pid}. Press Ctrl-C to stop both.")
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            if worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
