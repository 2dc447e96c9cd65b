"""Delivery channels and their delivery log, for the company's administrators."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry
from sqlalchemy import Row, text

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from domain.errors import invalid
from domain.notifications.channels import KIND_LABELS, ChannelKind as ChannelKindModel, masked

ChannelKind = strawberry.enum(ChannelKindModel, name="ChannelKind", description="通知渠道 Where notifications go.")
CHANNEL_COLUMNS = "id, project_id, kind, name, target, topics, min_level, per_minute, active, created_at"
_CHANNELS = text(f"SELECT {CHANNEL_COLUMNS} FROM delivery_channels ORDER BY created_at, id")
_CHANNEL = text(f"SELECT {CHANNEL_COLUMNS} FROM delivery_channels WHERE id = :id")
_DELIVERIES = text(
    "SELECT id, topic, title, status, attempts, last_error, created_at, sent_at FROM deliveries "
    "WHERE channel_id = :c ORDER BY created_at DESC, id LIMIT :n"
)


@strawberry.type(description="通知渠道 A webhook, e-mail address or group robot that hears of chosen events.")
class DeliveryChannel(Node):
    kind: ChannelKind
    name: str
    target: str = strawberry.field(description="Robot keys in URLs are not shown.")
    topics: list[str]
    min_level: str | None = strawberry.field(description="For escalations: only this level and above.")
    per_minute: int
    active: bool
    project_id: strawberry.ID | None
    created_at: datetime

    @strawberry.field
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @classmethod
    def from_row(cls, row: Row) -> DeliveryChannel:
        kind = ChannelKindModel(row.kind)
        return cls(id=to_global_id("DeliveryChannel", row.id), kind=kind, name=row.name, target=masked(kind, row.target),
                   topics=list(row.topics), min_level=row.min_level, per_minute=row.per_minute, active=row.active,
                   project_id=to_global_id("Project", row.project_id) if row.project_id else None, created_at=row.created_at)


@strawberry.type(description="One message to one channel.")
class Delivery(Node):
    topic: str
    title: str
    status: str = strawberry.field(description="pending or sent")
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


async def delivery_channels(info: Info) -> list[DeliveryChannel]:
    return [DeliveryChannel.from_row(r) for r in await info.context.db.all(_CHANNELS)]


async def delivery_channel(info: Info, channel_id: UUID) -> DeliveryChannel | None:
    row = await info.context.db.first(_CHANNEL, {"id": channel_id})
    return DeliveryChannel.from_row(row) if row else None


async def deliveries(info: Info, channel_id: UUID, first: int) -> list[Delivery]:
    if not 1 <= first <= 200:
        raise invalid("first must be between 1 and 200.", "first")
    return [Delivery(id=to_global_id("Delivery", r.id), topic=r.topic, title=r.title, status=r.status, attempts=r.attempts,
                     last_error=r.last_error, created_at=r.created_at, sent_at=r.sent_at)
            for r in await info.context.db.all(_DELIVERIES, {"c": channel_id, "n": first})]
