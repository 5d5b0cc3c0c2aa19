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


class Command(BaseCommand):
    help = "Run the web server and the background worker together; Ctrl-C stops both."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, host: str, port: str, **options: Any) -> None:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--quiet"],
            cwd=str(settings.BASE_DIR),
            env={**os.environ},
        )
        self.stdout.write(self.style.SUCCESS(f"onewindow is starting on http://{host}:{port}/"))
        self.stdout.write(f"  staff pages: http://{host}:{port}/staff/   admin: http://{host}:{port}/admin/")
        self.stdout.write(f"  API docs:    http://{host}:{port}/api/v1/docs")
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
