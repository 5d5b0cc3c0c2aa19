"""The evaluation link printed on a case's notices and receipts (the QR code “扫码评价”).

Cases never imports the evaluation app (a higher layer): the evaluation app registers a provider
in its `AppConfig.ready()`; the printable notices and their PDF ask `evaluation_link` for the
address to draw. `kind` is a `Notice.Kind` value, or "delivery" for the proof of service. No
provider, or no occasion open for evaluation, means no QR code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from onewindow.cases.models import Case

# provider(case, kind, request) → an absolute address, or None
Provider = Callable[[Case, str, Any], str | None]

DELIVERY = "delivery"

_providers: list[Provider] = []


def register_evaluation_link(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def unregister_evaluation_link(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def evaluation_link(case: Case, kind: str, request: Any = None) -> str:
    """The first provider's link for `case` and the notice `kind`, or "" when there is none."""
    for provider in list(_providers):
        url = provider(case, kind, request)
        if url:
            return url
    return ""
