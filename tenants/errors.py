"""Errors a client can act on. Each carries a stable code; the API turns them into typed errors.
The business's refusals and the platform's beneath them (a duplicate key, a bad idempotency key)
share this one type and one set of codes, so it lives at the bottom, where `tenants` can raise it
without importing `domain`; the domain uses it as `domain.errors`. Authentication failures have
their own type and codes (`tenants/auth/errors.py`), and the request-level codes belong to the API
(`api/errors.py`)."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    VALIDATION = "VALIDATION"
    CONFLICT = "CONFLICT"
    # A case command that its current state does not allow (e.g. resolving a closed case).
    INVALID_STATE = "INVALID_STATE"
    # Dispatch to whoever is on duty found nobody: the case stays open and has escalated.
    NOBODY_ON_DUTY = "NOBODY_ON_DUTY"
    # A time outside the window the input accepts (e.g. a receivedAt more than 24 h ago).
    OUT_OF_WINDOW = "OUT_OF_WINDOW"
    # A new case under a category the company archived: choose one of caseCategories.
    CATEGORY_ARCHIVED = "CATEGORY_ARCHIVED"
    # A statement the database stopped at its timeout (db_errors.py); the API's own
    # limits on a document use the same code on the wire.
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"


class ErrorReason(StrEnum):
    """Finer than a code, where a client would branch on it. The code stays what it always was
    (clients that know only INVALID_STATE keep working); the reason says which state refused."""

    ALERT_ALREADY_ACKNOWLEDGED = "ALERT_ALREADY_ACKNOWLEDGED"
    ALERT_ALREADY_RESOLVED = "ALERT_ALREADY_RESOLVED"


class DomainError(Exception):
    def __init__(self, code: ErrorCode, message: str, field: str | None = None, *, retry_after: int | None = None,
                 reason: ErrorReason | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.retry_after = retry_after  # seconds until a retry can succeed, where that is known
        self.reason = reason


def not_found(what: str, field: str | None = None, *, zh: str | None = None) -> DomainError:
    """`what` names the thing in English ("The case"), `zh` in Chinese ("工单"): staff read the
    Chinese first, an integrator the English beside it."""
    english = f"{what} was not found or is not visible to you."
    return DomainError(ErrorCode.NOT_FOUND, f"{zh}不存在或您无权查看。{english}" if zh else english, field)


def invalid(message: str, field: str | None = None) -> DomainError:
    return DomainError(ErrorCode.VALIDATION, message, field)


def conflict(message: str, field: str | None = None) -> DomainError:
    return DomainError(ErrorCode.CONFLICT, message, field)


def forbidden(message: str = "您无权执行此操作。You do not have permission to do this.") -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, message)
