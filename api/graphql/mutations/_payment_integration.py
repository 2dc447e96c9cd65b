"""What the payment integration mutations answer: the integration, and its secret when one was just made."""

from __future__ import annotations

import strawberry

from api.graphql.types.errors import UserError
from api.graphql.types.payment_integration import PaymentIntegration


@strawberry.type
class PaymentIntegrationPayload:
    integration: PaymentIntegration | None = None
    secret: str | None = strawberry.field(
        default=None, description="签名密钥 The signing secret, shown only in this answer (not on a replayed idempotency key). "
                                  "The integrator signs its notifications with it.")
    errors: list[UserError] = strawberry.field(default_factory=list)
