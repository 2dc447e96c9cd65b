"""Delivery channels and the delivery log, for the company's administrators: every message we
sent or are sending — to a channel, or straight to an outside body or a 12345 bridge — with each
attempt on the wire."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from domain.errors import invalid, not_found
from domain.notifications.channels import KIND_LABELS, ChannelKind as ChannelKindModel, masked
from domain.notifications import reads
from domain.notifications.reads import delivery_row
from domain.reads import Row

ChannelKind = strawberry.enum(ChannelKindModel, name="ChannelKind", description="通知渠道 Where notifications go.")
STATUSES = ("pending", "sent", "printed")


@strawberry.enum(description="投递用途 What a delivery is for.")
class DeliveryPurpose(Enum):
    CHANNEL = "channel"  # a company's channel heard of an event
    REFERRAL = "referral"  # 转办: to an outside body
    GOV_CALLBACK = "gov_callback"  # 12345: the answer back through the bridge


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


@strawberry.type(description="一次投递尝试 One send on the wire.")
class DeliveryAttempt:
    at: datetime
    ok: bool
    status_code: int | None = strawberry.field(description="The receiver's HTTP status, when it answered.")
    error: str | None
    duration_ms: int
    replay: bool = strawberry.field(description="Sent again on purpose by replayDelivery.")


@strawberry.type(description="投递 One message to one channel, outside body or 12345 bridge.")
class Delivery(Node):
    purpose: DeliveryPurpose
    kind: str = strawberry.field(description="webhook, email, wecom, dingtalk or letter")
    topic: str
    title: str
    status: str = strawberry.field(description="pending, sent, or printed (letters)")
    attempts: int
    replays: int = strawberry.field(description="How often it was sent again by replayDelivery.")
    last_error: str | None
    project_id: strawberry.ID | None
    channel_id: strawberry.ID | None = strawberry.field(description="The channel, for purpose CHANNEL.")
    created_at: datetime
    sent_at: datetime | None
    delivery_id: strawberry.Private[UUID]

    @strawberry.field(description="投递日志 Every attempt, oldest first.")
    async def attempt_log(self, info: Info) -> list[DeliveryAttempt]:
        return [DeliveryAttempt(at=r.at, ok=r.ok, status_code=r.status_code, error=r.error, duration_ms=r.duration_ms,
                                replay=r.replay)
                for r in await info.context.loaders.attempts_by_delivery.load(self.delivery_id)]

    @classmethod
    def from_row(cls, row: Row) -> Delivery:
        return cls(id=to_global_id("Delivery", row.id), purpose=DeliveryPurpose(row.purpose), kind=row.kind, topic=row.topic,
                   title=row.title, status=row.status, attempts=row.attempts, replays=row.replays, last_error=row.last_error,
                   project_id=to_global_id("Project", row.project_id) if row.project_id else None,
                   channel_id=to_global_id("DeliveryChannel", row.channel_id) if row.channel_id else None,
                   created_at=row.created_at, sent_at=row.sent_at, delivery_id=row.id)


async def delivery_channels(info: Info) -> list[DeliveryChannel]:
    return [DeliveryChannel.from_row(r) for r in await reads.channels(info.context.db)]


async def delivery_channel(info: Info, channel_id: UUID) -> DeliveryChannel | None:
    row = await reads.channel(info.context.db, channel_id)
    return DeliveryChannel.from_row(row) if row else None


def _first(first: int) -> int:
    if not 1 <= first <= 200:
        raise invalid("数量 first 须在 1 到 200 之间。first must be between 1 and 200.", "first")
    return first


async def deliveries(info: Info, channel_id: UUID, first: int) -> list[Delivery]:
    rows = await reads.channel_deliveries(info.context.db, channel_id, _first(first))
    if not rows and await reads.channel(info.context.db, channel_id) is None:
        raise not_found("The delivery channel", "channelId", zh="推送渠道")  # another company's answers as a missing one
    return [Delivery.from_row(r) for r in rows]


async def delivery_log(info: Info, *, purpose: DeliveryPurpose | None, status: str | None, topic: str | None,
                       project_id: UUID | None, first: int) -> list[Delivery]:
    """Newest first, across channels and direct deliveries; the wall decides the company."""
    if status is not None and status not in STATUSES:
        raise invalid(f"状态 status 的取值不正确。status must be one of {', '.join(STATUSES)}.", "status")
    if topic is not None and not 1 <= len(topic) <= 100:
        raise invalid("主题 topic 须为 1 到 100 个字符。topic must be 1–100 characters, e.g. referral.sent.", "topic")
    rows = await reads.delivery_log(info.context.db, purpose=purpose.value if purpose else None, status=status, topic=topic,
                                    project_id=project_id, first=_first(first))
    return [Delivery.from_row(r) for r in rows]


async def delivery(info: Info, delivery_id: UUID) -> Delivery | None:
    row = await delivery_row(info.context.db, delivery_id)
    return Delivery.from_row(row) if row else None
