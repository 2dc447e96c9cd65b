"""Live subscriptions: alerts, case updates and the caller's own inbox as they commit, over
graphql-transport-ws.

The database announces every committed `alert.*` / `case.*` outbox row (api/live/listener.py);
each subscription keeps the announcements of its company and of the projects it may see, then
re-reads the alert or case under the subscriber's own scope — the wall holds even if a filter
here were wrong. The inbox hears only notifications addressed to the subscriber and re-reads
each as theirs. A subscription that falls behind or loses the feed ends with a coded error."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from uuid import UUID

import strawberry

from api.context import Info
from api.errors import TransportCode, TransportError
from api.graphql.permissions import Requires
from api.graphql.types.alert import Alert, alert
from api.graphql.types.case import Case
from api.graphql.types.node import from_global_id
from api.graphql.types.notification import Notification, own_notification, unread_count
from api.live.listener import Interrupted, Note
from api.live.websocket import LiveContext, event_reads
from domain.directory.reads import project_seen
from domain.errors import forbidden, not_found
from tenants.roles import Permission


@strawberry.type(description="预警动态 An alert as it was raised, acknowledged or resolved.")
class AlertEvent:
    topic: str = strawberry.field(description="alert.raised, alert.acknowledged or alert.resolved")
    alert: Alert


@strawberry.type(description="工单动态 A case as it stands right after one of its changes.")
class CaseEvent:
    topic: str = strawberry.field(description="The change, e.g. case.received, case.dispatched, case.escalated")
    case: Case


@strawberry.type(description="站内通知动态 A notification just addressed to the caller, and their unread count after it.")
class InboxEvent:
    notification: Notification
    unread_count: int


def _live(info: Info) -> LiveContext:
    ctx = info.context
    if not isinstance(ctx, LiveContext):
        raise TransportError(TransportCode.BAD_REQUEST, "订阅须通过 WebSocket（graphql-transport-ws）使用。"
                                                        "Subscriptions run over a websocket (graphql-transport-ws).")
    return ctx


async def _notes(info: Info, project_id: strawberry.ID | None, prefix: str) -> AsyncIterator[Note]:
    """The announcements this subscriber may hear of, each inside a read transaction of its own."""
    ctx = _live(info)
    principal = ctx.require(Permission.CASE_READ)
    only: UUID | None = None
    if project_id is not None:
        only = from_global_id(project_id, "Project", "projectId")
        async with event_reads(ctx) as db:
            visible = await project_seen(db, only)
        if not visible or not principal.can(Permission.CASE_READ, only):
            raise not_found("The project", "projectId", zh="项目")
    async with ctx.feed.subscribe(principal.org_id, prefix) as feed:
        try:
            async for note in feed:
                if only is not None and note.project_id != only:
                    continue
                await ctx.recheck()
                principal = ctx.require(Permission.CASE_READ)
                if note.project_id is None or not principal.scope.allows(note.project_id):
                    continue
                async with event_reads(ctx):
                    yield note
        except Interrupted as e:
            raise TransportError(TransportCode.RATE_LIMITED if e.behind else TransportCode.INTERNAL, e.reason) from None


@strawberry.subscription(permission_classes=[Requires(Permission.CASE_READ)],
                         description="预警 Alerts of the caller's projects (or of one), as each is raised, acknowledged or resolved.")
async def alerts(info: Info, project_id: strawberry.ID | None = None) -> AsyncGenerator[AlertEvent, None]:
    async for note in _notes(info, project_id, "alert."):
        found = await alert(info, note.alert_id) if note.alert_id else None
        if found is not None:
            yield AlertEvent(topic=note.topic, alert=found)


@strawberry.subscription(permission_classes=[Requires(Permission.CASE_READ)],
                         description="工单动态 Every change of the cases of the caller's projects (or of one).")
async def case_updates(info: Info, project_id: strawberry.ID | None = None) -> AsyncGenerator[CaseEvent, None]:
    async for note in _notes(info, project_id, "case."):
        row = await info.context.loaders.case_by_id.load(note.case_id) if note.case_id else None
        if row is not None:
            yield CaseEvent(topic=note.topic, case=Case.from_row(row))


@strawberry.subscription(permission_classes=[Requires(Permission.ORG_READ)],
                         description="站内通知 Each notification addressed to the signed-in person as it arrives, with their new "
                                     "unread count. Integrator keys have no inbox: FORBIDDEN.")
async def inbox(info: Info) -> AsyncGenerator[InboxEvent, None]:
    ctx = _live(info)
    me = ctx.require(Permission.ORG_READ)
    if me.kind != "user":
        raise forbidden("集成密钥没有消息箱，请以个人账号登录以接收通知。"
                        "Integrator keys have no inbox; sign in as a person to hear of notifications.")
    async with ctx.feed.subscribe(me.org_id, "inbox.", me.id) as feed:
        try:
            async for note in feed:
                if note.user_id != me.id or note.notification_id is None:  # the feed filters too; this is the wall
                    continue
                await ctx.recheck()
                ctx.require(Permission.ORG_READ)
                async with event_reads(ctx):
                    found = await own_notification(info, me.id, note.notification_id)
                    if found is not None:
                        yield InboxEvent(notification=found, unread_count=await unread_count(info, me.id))
        except Interrupted as e:
            raise TransportError(TransportCode.RATE_LIMITED if e.behind else TransportCode.INTERNAL, e.reason) from None


@strawberry.type
class Subscription:
    alerts = alerts
    case_updates = case_updates
    inbox = inbox
