"""书面答复 Written replies as the API shows them: every version, its deliveries, and the
printable letter."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.actor import Actor, actor_of
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.viewer import User
from api.print.written_reply import render
from domain.cases import written_reply_read
from domain.cases.replies import DELIVERY_LABELS, DeliveryWay as DeliveryWayModel
from domain.reads import Row

DeliveryWay = strawberry.enum(DeliveryWayModel, name="DeliveryWay", description="How a written reply reached the resident.")


@strawberry.type(description="送达记录 One delivery of a written reply.")
class ReplyDelivery(Node):
    via: DeliveryWay
    recipient: str
    delivered_at: datetime
    note: str | None
    recorded_by: str = strawberry.field(description="user:<id> or api_key:<id>", deprecation_reason="Use recorder.")

    @strawberry.field(description="登记人 Who recorded the delivery.")
    async def recorder(self, info: Info) -> Actor:
        return await actor_of(info, self.recorded_by)

    @strawberry.field(description="Chinese label first, English beside.")
    def via_label(self) -> str:
        return DELIVERY_LABELS[self.via]

    @classmethod
    def from_row(cls, row: Row) -> ReplyDelivery:
        return cls(id=to_global_id("ReplyDelivery", row.id), via=DeliveryWayModel(row.via), recipient=row.recipient,
                   delivered_at=row.delivered_at, note=row.note, recorded_by=row.recorded_by)


@strawberry.type(description="书面答复 A formal answer to the resident. A revision is a new version; old ones stay.")
class WrittenReply(Node):
    reply_id: strawberry.Private[UUID]
    row: strawberry.Private[Any]
    version: int
    reason: str
    basis: str
    alternatives: list[str]
    created_at: datetime

    @strawberry.field(description="The supervisor who approved it.")
    async def signed_by(self, info: Info) -> User | None:
        if self.row.created_by is None:
            return None
        row = await info.context.loaders.user_by_id.load(self.row.created_by)
        return User.from_row(row) if row else None

    @strawberry.field(description="Oldest first.")
    async def deliveries(self, info: Info) -> list[ReplyDelivery]:
        return [ReplyDelivery.from_row(r) for r in await info.context.loaders.deliveries_by_reply.load(self.reply_id)]

    @strawberry.field(description="The printable letter (A4, inline style only).")
    def html(self) -> str:
        return render(self.row)

    @strawberry.field(description="GET this path with the same credentials for the letter as a page.")
    def print_path(self) -> str:
        return f"/print/written-replies/{self.id}"

    @classmethod
    def from_row(cls, row: Row) -> WrittenReply:
        return cls(id=to_global_id("WrittenReply", row.id), reply_id=row.id, row=row, version=row.version,
                   reason=row.reason, basis=row.basis, alternatives=list(row.alternatives), created_at=row.created_at)


async def written_replies(info: Info, case_id: UUID) -> list[WrittenReply]:
    return [WrittenReply.from_row(r) for r in await written_reply_read.written_replies(info.context.db, case_id)]


async def written_reply(info: Info, reply_id: UUID) -> WrittenReply | None:
    row = await written_reply_read.written_reply(info.context.db, reply_id)
    return WrittenReply.from_row(row) if row else None
