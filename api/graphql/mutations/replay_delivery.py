"""重发 Send a delivery that was sent once more, on purpose — for an integrator who lost it or
rebuilt its side. The same delivery id goes on the wire, so a receiver that deduplicates on
`X-Firstcall-Delivery` sees it as the one it has. Failed and waiting deliveries are not replayed:
the worker is still retrying them, and the dead letters' `retryDeadLetter` sends them again."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.delivery import Delivery, delivery
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.notifications import service
from domain.notifications.commands import ReplayDelivery
from tenants.roles import Permission


@strawberry.type
class ReplayDeliveryPayload:
    delivery: Delivery | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.CHANNEL_MANAGE)],
                     description="重发 Send a sent delivery once more, with the same delivery id (receivers deduplicate on it).")
@user_errors(ReplayDeliveryPayload)
async def replay_delivery(info: Info, delivery_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> ReplayDeliveryPayload:
    uow = unit_of_work(info)
    uow.require(Permission.CHANNEL_MANAGE)  # company-wide, before the id is read (the service checks it again)
    cmd = ReplayDelivery(delivery_id=from_global_id(delivery_id, "Delivery", "deliveryId"), idempotency_key=idempotency_key)
    return ReplayDeliveryPayload(delivery=await delivery(info, await service.replay_delivery(cmd, uow)))
