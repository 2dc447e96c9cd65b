"""What addDeliveryChannel and setDeliveryChannelActive return."""

from __future__ import annotations

import strawberry

from api.graphql.types.delivery import DeliveryChannel
from api.graphql.types.errors import UserError


@strawberry.type
class DeliveryChannelPayload:
    channel: DeliveryChannel | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
