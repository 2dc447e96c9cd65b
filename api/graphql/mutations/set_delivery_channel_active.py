from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._channel_payload import DeliveryChannelPayload
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.delivery import delivery_channel
from api.graphql.types.node import from_global_id
from domain.notifications import service
from domain.notifications.commands import SetDeliveryChannelActive
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CHANNEL_MANAGE)],
                     description="启用/停用 Switch a channel on or off; deliveries waiting for it are kept.")
@user_errors(DeliveryChannelPayload)
async def set_delivery_channel_active(info: Info, channel_id: strawberry.ID, active: bool,
                                      idempotency_key: IdempotencyKey = None) -> DeliveryChannelPayload:
    uow = unit_of_work(info)
    uow.require(Permission.CHANNEL_MANAGE)  # company-wide, before the id is read (the service checks it again)
    cmd = SetDeliveryChannelActive(from_global_id(channel_id, "DeliveryChannel", "channelId"), active, idempotency_key)
    return DeliveryChannelPayload(channel=await delivery_channel(info, await service.set_delivery_channel_active(cmd, uow)))
