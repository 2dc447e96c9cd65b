from __future__ import annotations

from uuid import UUID

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.mutations.add_delivery_channel import DeliveryChannelPayload
from api.graphql.permissions import Requires
from api.graphql.types.delivery import delivery_channel
from api.graphql.types.node import from_global_id
from domain.errors import not_found
from domain.outbox import write_audit
from tenants.roles import Permission

_SET = text("UPDATE delivery_channels SET active = :a WHERE id = :id RETURNING id, project_id")


@strawberry.mutation(permission_classes=[Requires(Permission.CHANNEL_MANAGE)],
                     description="启用/停用 Switch a channel on or off; deliveries waiting for it are kept.")
@user_errors(DeliveryChannelPayload)
async def set_delivery_channel_active(info: Info, channel_id: strawberry.ID, active: bool,
                                      idempotency_key: IdempotencyKey = None) -> DeliveryChannelPayload:
    require_on(info, Permission.CHANNEL_MANAGE, None)
    p = info.context.require()
    cid = from_global_id(channel_id, "DeliveryChannel", "channelId")

    async def work(conn) -> dict:
        row = (await conn.execute(_SET, {"a": active, "id": cid})).first()
        if row is None:
            raise not_found("The channel", "channelId")
        await write_audit(conn, org_id=p.org_id, project_id=row.project_id, actor=p.actor, action="channel.switched",
                          entity="delivery_channel", entity_id=cid, data={"active": active})
        return {"channel_id": str(cid)}

    await write(info, lambda conn: once(info, conn, idempotency_key, "setDeliveryChannelActive",
                                        {"channelId": channel_id, "active": active}, work))
    return DeliveryChannelPayload(channel=await delivery_channel(info, UUID(str(cid))))
