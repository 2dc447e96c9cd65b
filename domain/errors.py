"""Errors a client can act on: the business's refusals, each with a stable code. The error type and
its codes sit at the bottom of the house, in `tenants/errors.py`, because the platform beneath the
domain (a duplicate key, a bad idempotency key) refuses with the same codes; the domain names them
from here."""

from tenants.errors import DomainError, ErrorCode, ErrorReason, conflict, forbidden, invalid, not_found

__all__ = ["DomainError", "ErrorCode", "ErrorReason", "conflict", "forbidden", "invalid", "not_found"]
