"""What the bridge mutations answer: the bridge, and its signing secret when one was just made."""

from __future__ import annotations

import strawberry

from api.graphql.types.errors import UserError
from api.graphql.types.gov_order import GovBridge


@strawberry.type
class GovBridgePayload:
    bridge: GovBridge | None = None
    secret: str | None = strawberry.field(
        default=None, description="签名密钥 The signing secret, shown only in this answer (not on a replayed idempotency key). "
                                  "The bridge signs what it sends with it, and we sign our answers with it.")
    errors: list[UserError] = strawberry.field(default_factory=list)

