"""Who is acting and from where, for the audit trail (set per request by the middleware)."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    user_id: int | None = None
    username: str = ""
    ip: str = ""
    channel: str = "system"


_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "onewindow_request_context",
    default=RequestContext(),  # noqa: B039 (frozen dataclass)
)


def current() -> RequestContext:
    return _current.get()


def set_current(ctx: RequestContext) -> Any:
    return _current.set(ctx)


def reset(token: Any) -> None:
    _current.reset(token)
