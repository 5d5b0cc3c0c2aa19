"""Domain errors. Services raise these; interfaces map them to a page message or a JSON error
`{"code": ..., "message": ..., "details": ...}` with the status below."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class ValidationFailed(DomainError):
    """Input that breaks a rule. `details` maps field names to lists of messages."""

    status = 422
    code = "validation_failed"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"


class Conflict(DomainError):
    """A concurrent change won: reload and try again."""

    status = 409
    code = "conflict"


class InvalidTransition(DomainError):
    """The action is not allowed in the current state; `details` lists the allowed actions."""

    status = 422
    code = "invalid_transition"


class NotAuthenticated(DomainError):
    """No valid credentials: sign in or send a valid token."""

    status = 401
    code = "not_authenticated"


class RateLimited(DomainError):
    """Too many attempts in a short time; `details` may say when to retry."""

    status = 429
    code = "rate_limited"
