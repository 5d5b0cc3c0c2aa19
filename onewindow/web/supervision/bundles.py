"""The board's 一件事 panel: the bundle cases at yellow or red (or held up by a red sub-case) in
the supervisor's scope, each with the sub-cases holding it up (department, step, handler).
Reads through `onewindow.approvals.holdups`; polled by htmx like the board's counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from onewindow.approvals.holdups import BoardBundle, bundles_on_board
from onewindow.core import clock
from onewindow.web.access import staff_page

SUPERVISE = "supervision.supervise"


def board_bundles(user: Any, now: dt.datetime) -> list[BoardBundle]:
    """The panel's rows for `user` (nothing for an account without a center)."""
    center = getattr(user, "center", None)
    if center is None:
        return []
    return bundles_on_board(center, user, now=now)


@staff_page(SUPERVISE)
def bundle_panel(request: HttpRequest) -> HttpResponse:
    """The 一件事 panel alone: polled by htmx every 30 seconds."""
    now = clock.now()
    return render(
        request,
        "web/supervision/_bundles.html",
        {"bundles": board_bundles(request.user, now), "now": now},
    )
