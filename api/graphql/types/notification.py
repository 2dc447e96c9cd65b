"""站内通知 The caller's own inbox."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from domain.errors import invalid
from domain.notifications import reads
from domain.notifications.messages import escalation_level


@strawberry.type(description="站内通知 One message for the caller.")
class Notification(Node):
    topic: str = strawberry.field(description="e.g. case.escalated")
    title: str
    body: str
    case_id: strawberry.ID | None
    created_at: datetime
    read_at: datetime | None
    escalation_level: str | None = strawberry.field(
        default=None, description="升级级别 remind, l1, l2 or l3 for an escalation (case.escalated); null otherwise")


@strawberry.type
class Inbox:
    unread_count: int
    items: list[Notification]


async def unread_count(info: Info, user_id: UUID) -> int:
    return await reads.unread_count(info.context.db, user_id)


async def inbox(info: Info, unread_only: bool, first: int) -> Inbox:
    if not 1 <= first <= 100:
        raise invalid("数量 first 须在 1 到 100 之间。first must be between 1 and 100.", "first")
    p = info.context.require()
    if p.kind != "user":  # integrator keys have no inbox
        return Inbox(unread_count=0, items=[])
    rows = await reads.inbox_items(info.context.db, p.id, unread_only, first)
    return Inbox(unread_count=await unread_count(info, p.id), items=[_notification(r) for r in rows])


async def own_notification(info: Info, user_id: UUID, notification_id: UUID) -> Notification | None:
    """One of this person's notifications; None for anyone else's."""
    row = await reads.own_notification(info.context.db, user_id, notification_id)
    return _notification(row) if row is not None else None


def _notification(r) -> Notification:
    return Notification(id=to_global_id("Notification", r.id), topic=r.topic, title=r.title, body=r.body,
                        case_id=to_global_id("Case", r.case_id) if r.case_id else None, created_at=r.created_at, read_at=r.read_at,
                        escalation_level=escalation_level(r.title) if r.topic == "case.escalated" else None)
