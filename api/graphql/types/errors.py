"""Typed errors returned in mutation payloads."""

from __future__ import annotations

import strawberry

from api.errors import CodedError, ErrorCode

GraphQLErrorCode = strawberry.enum(ErrorCode, name="ErrorCode", description="Stable error codes.")


@strawberry.type(description="A problem with the input or the request; `code` is stable, `message` is for people.")
class UserError:
    code: GraphQLErrorCode
    message: str
    field: str | None = None
    retry_after: int | None = strawberry.field(
        default=None, description="With RATE_LIMITED: seconds to wait before trying again.")

    @classmethod
    def of(cls, error: CodedError) -> UserError:
        return cls(code=error.code, message=error.message, field=error.field, retry_after=error.retry_after)
