"""The signed link of a ticket's wait page (the ticket's QR code): the token carries the
ticket's id, signed, so nobody guesses another ticket's page."""

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
    if not isinstance(pk, int):
        return None
    return Ticket.objects.filter(pk=pk).select_related("business", "window").first()
