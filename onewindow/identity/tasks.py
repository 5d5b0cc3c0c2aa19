"""Background jobs of the applicant accounts: old sign-in codes go once a day."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from onewindow.identity import signin


@db_periodic_task(crontab(minute="17", hour="3"))
def purge_signin_codes() -> int:
    return signin.signin_codes_purge()
