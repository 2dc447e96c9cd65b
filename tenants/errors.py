"""The platform's refusals: what the tenancy plumbing beneath the domain says no to — a database
constraint, a statement stopped at its timeout, an idempotency key reused with other input. They
carry the generic codes every layer shares; the business's own codes (INVALID_STATE,
NOBODY_ON_DUTY…) live with the domain (`domain/errors.py`, whose `DomainError` builds on this
type), authentication's with authentication (`tenants/auth/errors.py`) and the request's with the
API (`api/errors.py`)."""

from __future__ import annotations

from enum import StrEnum


class PlatformCode(StrEnum):
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    VALIDATION = "VALIDATION"
    CONFLICT = "CONFLICT"
    # A statement the database stopped at its timeout (db_errors.py).
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    # The database is out of connections, restarting or unreachable, or a transaction lost a
    # conflict it may win when tried again (db_errors.py): the request did nothing; retry it.
    UNAVAILABLE = "UNAVAILABLE"


class PlatformError(Exception):
    """A refusal a client can act on: a stable code, a message (Chinese first, English beside),
    the input field it is about, and when a retry can succeed where that is known."""

    def __init__(self, code: StrEnum, message: str, field: str | None = None, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.retry_after = retry_after


def invalid(message: str, field: str | None = None) -> PlatformError:
    return PlatformError(PlatformCode.VALIDATION, message, field)


def conflict(message: str, field: str | None = None) -> PlatformError:
    return PlatformError(PlatformCode.CONFLICT, message, field)
