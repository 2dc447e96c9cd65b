"""Errors a client can act on. Each carries a stable code; the API turns them into typed errors."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
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
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    RATE_LIMITED = "RATE_LIMITED"
    # Request-level codes, set by the API itself.
    BAD_REQUEST = "BAD_REQUEST"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    # A trusted document's hash that the server's manifest does not hold: send the text instead.
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    INTERNAL = "INTERNAL"


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
        self.retry_after = retry_after  # RATE_LIMITED: seconds until a retry can succeed
        self.reason = reason


def not_found(what: str, field: str | None = None) -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, f"{what} was not found or is not visible to you.", field)


def invalid(message: str, field: str | None = None) -> DomainError:
    return DomainError(ErrorCode.VALIDATION, message, field)


def conflict(message: str, field: str | None = None) -> DomainError:
    return DomainError(ErrorCode.CONFLICT, message, field)


def forbidden(message: str = "You do not have permission to do this.") -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, message)


def unauthenticated(message: str) -> DomainError:
    return DomainError(ErrorCode.UNAUTHENTICATED, message)
