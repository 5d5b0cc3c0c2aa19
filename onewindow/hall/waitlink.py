"""The live wait page's token: the ticket's id, signed (no column, no guessing)."""

from __future__ import annotations

from django.core import signing

from onewindow.hall.models import Ticket

SALT = "onewindow.hall.wait"


def wait_token(ticket: Ticket) -> str:
    return signing.dumps(ticket.pk, salt=SALT)


def ticket_from_wait_token(token: str) -> Ticket | None:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return Ticket.objects.filter(pk=pk).select_related("business", "window").first()
