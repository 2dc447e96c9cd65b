"""Typed errors returned in mutation payloads."""

from __future__ import annotations

import strawberry

from api.errors import CodedError, ErrorCode
from api.graphql.types.node import to_global_id
from domain.errors import ErrorReason

GraphQLErrorCode = strawberry.enum(ErrorCode, name="ErrorCode", description="Stable error codes.")
GraphQLErrorReason = strawberry.enum(ErrorReason, name="ErrorReason",
                                     description="Which state refused, finer than the code, where a client would branch on it.")


@strawberry.type(description="A problem with the input or the request; `code` is stable, `message` is for people.")
class UserError:
    code: GraphQLErrorCode
    message: str
    field: str | None = None
    retry_after: int | None = strawberry.field(
        default=None, description="With RATE_LIMITED: seconds to wait before trying again.")
    reason: GraphQLErrorReason | None = strawberry.field(
        default=None, description="With INVALID_STATE, where known: the state that refused (e.g. ALERT_ALREADY_RESOLVED); "
                                      "with CONFLICT, what is already on file (e.g. UNIT_EXISTS).")

    existing_id: strawberry.ID | None = strawberry.field(
        default=None, description="With CONFLICT, where known: the id of the record already on file, to open it.")

    @classmethod
    def of(cls, error: CodedError) -> UserError:
        existing = getattr(error, "existing", None)
        return cls(code=error.code, message=error.message, field=error.field, retry_after=error.retry_after,
                   reason=getattr(error, "reason", None),
                   existing_id=to_global_id(*existing) if existing else None)
