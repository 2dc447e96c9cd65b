"""Delivery channels and the delivery log, for the company's administrators: every message we
sent or are sending — to a channel, or straight to an outside body or a 12345 bridge — with each
attempt on the wire."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry
from sqlalchemy import Row, text

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from domain.errors import invalid, not_found
from domain.notifications.channels import KIND_LABELS, ChannelKind as ChannelKindModel, masked
from domain.notifications.repository import IN_CALLERS_PROJECTS

# What the Delivery type reads; a channel's kind is on the channel, a direct delivery's on the row.
DELIVERY_SELECT = (
    "SELECT d.id, d.project_id, d.channel_id, d.ref_id, d.purpose, coalesce(c.kind, d.kind) AS kind, d.topic, d.title, "
    "  d.status, d.attempts, d.replays, d.last_error, d.created_at, d.sent_at "
    "FROM deliveries d LEFT JOIN delivery_channels c ON c.org_id = d.org_id AND c.id = d.channel_id "
)
ChannelKind = strawberry.enum(ChannelKindModel, name="ChannelKind", description="通知渠道 Where notifications go.")
CHANNEL_COLUMNS = "id, project_id, kind, name, target, topics, min_level, per_minute, active, created_at"
_CHANNELS = text(f"SELECT {CHANNEL_COLUMNS} FROM delivery_channels ORDER BY created_at, id")
_CHANNEL = text(f"SELECT {CHANNEL_COLUMNS} FROM delivery_channels WHERE id = :id")
_DELIVERIES = text(DELIVERY_SELECT + f"WHERE d.channel_id = :c AND {IN_CALLERS_PROJECTS} ORDER BY d.created_at DESC, d.id LIMIT :n")
_LOG = text(
    DELIVERY_SELECT + f"WHERE {IN_CALLERS_PROJECTS} "
    "AND (CAST(:purpose AS text) IS NULL OR d.purpose = :purpose) AND (CAST(:status AS text) IS NULL OR d.status = :status) "
    "AND (CAST(:topic AS text) IS NULL OR d.topic = :topic) AND (CAST(:p AS uuid) IS NULL OR d.project_id = :p) "
    "ORDER BY d.created_at DESC, d.id DESC LIMIT :n"
)
_ONE = text(DELIVERY_SELECT + f"WHERE d.id = :id AND {IN_CALLERS_PROJECTS}")
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
    return [DeliveryChannel.from_row(r) for r in await info.context.db.all(_CHANNELS)]


async def delivery_channel(info: Info, channel_id: UUID) -> DeliveryChannel | None:
    row = await info.context.db.first(_CHANNEL, {"id": channel_id})
    return DeliveryChannel.from_row(row) if row else None


def _first(first: int) -> int:
    if not 1 <= first <= 200:
        raise invalid("first must be between 1 and 200.", "first")
    return first


async def deliveries(info: Info, channel_id: UUID, first: int) -> list[Delivery]:
    rows = await info.context.db.all(_DELIVERIES, {"c": channel_id, "n": _first(first)})
    if not rows and await info.context.db.first(_CHANNEL, {"id": channel_id}) is None:
        raise not_found("The delivery channel", "channelId")  # another company's answers as a missing one
    return [Delivery.from_row(r) for r in rows]


async def delivery_log(info: Info, *, purpose: DeliveryPurpose | None, status: str | None, topic: str | None,
                       project_id: UUID | None, first: int) -> list[Delivery]:
    """Newest first, across channels and direct deliveries; the wall decides the company."""
    if status is not None and status not in STATUSES:
        raise invalid(f"status must be one of {', '.join(STATUSES)}.", "status")
    if topic is not None and not 1 <= len(topic) <= 100:
        raise invalid("topic must be 1–100 characters, e.g. referral.sent.", "topic")
    rows = await info.context.db.all(_LOG, {"purpose": purpose.value if purpose else None, "status": status, "topic": topic,
                                            "p": project_id, "n": _first(first)})
    return [Delivery.from_row(r) for r in rows]


async def delivery_row(db, delivery_id: UUID) -> Row | None:
    """One delivery, if the caller's projects include it."""
    return await db.first(_ONE, {"id": delivery_id})


async def delivery(info: Info, delivery_id: UUID) -> Delivery | None:
    row = await delivery_row(info.context.db, delivery_id)
    return Delivery.from_row(row) if row else None
