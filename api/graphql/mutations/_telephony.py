"""What the call mutations answer."""

from __future__ import annotations

import strawberry

from api.graphql.types.calls import CallRecord, TelephonyIntegration
from api.graphql.types.errors import UserError


@strawberry.type
class TelephonyIntegrationPayload:
    integration: TelephonyIntegration | None = None
    secret: str | None = strawberry.field(
        default=None, description="签名密钥 The signing secret, shown only in this answer (not on a replayed idempotency key). "
                                  "The telephony system signs the calls it posts with it.")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CallRecordPayload:
    call: CallRecord | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
