"""Authentication failures: who is calling could not be established, or may not try again yet.
No rule of the business was broken, so these are not domain errors; they carry codes of their
own, and the API turns them into coded GraphQL and HTTP errors as it does the domain's."""

from __future__ import annotations

from enum import StrEnum


class AuthCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    RATE_LIMITED = "RATE_LIMITED"


class AuthError(Exception):
    field: str | None = None  # never about one input field: said alike for a wrong name or password

    def __init__(self, code: AuthCode, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after  # RATE_LIMITED: seconds until a retry can succeed


def unauthenticated(message: str) -> AuthError:
    return AuthError(AuthCode.UNAUTHENTICATED, message)


def token_expired(message: str) -> AuthError:
    return AuthError(AuthCode.TOKEN_EXPIRED, message)


def rate_limited(message: str, retry_after: int) -> AuthError:
    return AuthError(AuthCode.RATE_LIMITED, message, retry_after=retry_after)
