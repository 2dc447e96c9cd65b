"""The codes on the wire. The API's own, about the request rather than the business, live here;
with the domain's (`domain/errors.py`) and authentication's (`tenants/auth/errors.py`) they make
the one `ErrorCode` enum clients see. A code keeps its name and value whichever layer raises it."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import ErrorCode as DomainCode
from tenants.auth.errors import AuthCode, AuthError
from tenants.errors import PlatformError


class TransportCode(StrEnum):
    BAD_REQUEST = "BAD_REQUEST"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    # Over the document's bounds (tokens, depth, aliases, fields, repeats, fragments).
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    # A trusted document's hash that the server's manifest does not hold: send the text instead.
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    # A subscriber too slow for its stream (RATE_LIMITED, as for sign-ins) or our own failure.
    RATE_LIMITED = "RATE_LIMITED"
    INTERNAL = "INTERNAL"


def _wire() -> dict[str, str]:
    """In the order clients have always seen: UNAUTHENTICATED, the domain's, the rest of
    authentication's, the request's. A code two layers use appears once."""
    members = {AuthCode.UNAUTHENTICATED.name: AuthCode.UNAUTHENTICATED.value}
    members |= {c.name: c.value for c in DomainCode if c.name not in TransportCode.__members__}
    for code in (*AuthCode, *TransportCode):
        members.setdefault(code.name, code.value)
    return members


ErrorCode = StrEnum("ErrorCode", _wire())  # type: ignore[misc]


class TransportError(Exception):
    """A refusal of the request itself, raised where a resolver or the transport finds it."""

    field: str | None = None

    def __init__(self, code: TransportCode, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


# What a client is told as it is: code, message, and field or retry time where there is one.
# A PlatformError is the platform's own refusal (a constraint, a timeout); DomainError builds on it.
CodedError = PlatformError | AuthError | TransportError
CODED = (PlatformError, AuthError, TransportError)
