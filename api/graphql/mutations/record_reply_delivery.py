from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.written_reply import DeliveryWay, WrittenReply, written_reply
from domain.cases import replies
from tenants.roles import Permission


@strawberry.input(description="How and when a written reply reached the resident.")
class ReplyDeliveryInput:
    reply_id: strawberry.ID
    via: DeliveryWay
    recipient: str = strawberry.field(description="Who received it, e.g. 业主本人 or 家属 李女士.")
    delivered_at: datetime
    note: str | None = None


@strawberry.type
class ReplyDeliveryPayload:
    reply: WrittenReply | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_FOLLOW_UP)],
                     description="送达登记 Record that a written reply was delivered.")
@user_errors(ReplyDeliveryPayload)
async def record_reply_delivery(info: Info, input: ReplyDeliveryInput, idempotency_key: IdempotencyKey = None) -> ReplyDeliveryPayload:
    cmd = replies.RecordReplyDelivery(
        reply_id=from_global_id(input.reply_id, "WrittenReply", "replyId"), via=replies.DeliveryWay(input.via.value),
        recipient=input.recipient, delivered_at=input.delivered_at, note=input.note,
        request={"replyId": input.reply_id, "via": input.via.value, "recipient": input.recipient,
                 "deliveredAt": input.delivered_at.isoformat(), "note": input.note},
        idempotency_key=idempotency_key)
    reply_id = await replies.record_reply_delivery(cmd, unit_of_work(info))
    return ReplyDeliveryPayload(reply=await written_reply(info, reply_id))
