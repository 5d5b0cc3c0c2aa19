"""Record the hall screens' voice clips again with espeak-ng (docs/domain/hall-screens.md).

    apt-get install -y espeak-ng
    .venv/bin/python manage.py hall_voice_clips [--dest DIR] [--voice cmn]

The clips are committed in onewindow/hall/static/hall/voice/; `make` never runs this.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.hall.voice import CLIP_DIR, generate_clips


class Command(BaseCommand):
    help = "Record the hall screens' voice clips (digits, letters, words) with espeak-ng."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dest", default=str(CLIP_DIR), help="The folder of the clips.")
        parser.add_argument("--voice", default="cmn", help="espeak-ng's voice (default: cmn, Mandarin).")
        parser.add_argument("--espeak", default="espeak-ng", help="The espeak-ng program.")

    def handle(self, *args: Any, **options: Any) -> None:
        if shutil.which(options["espeak"]) is None:
            raise CommandError("espeak-ng is not installed: apt-get install -y espeak-ng")
        written = generate_clips(Path(options["dest"]), espeak=options["espeak"], voice=options["voice"])
        total = sum(p.stat().st_size for p in written)
        self.stdout.write(f"{len(written)} clips, {total // 1024} KiB in {options['dest']}")
