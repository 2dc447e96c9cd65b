"""通知公告 Notices to residents as staff see them. Published, scheduled, expired and withdrawn
ones are read with `project:read`; drafts and pending ones only by holders of `notice:draft` or
`notice:publish` on the project."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.actor import Actor, actor_of
from api.graphql.reach import required_project_in_reach
from api.graphql.types.archive import Unit, after_id, connection
from api.graphql.types.node import Connection, Node, from_global_id, page_size, to_global_id
from api.graphql.types.project import Project
from domain.notices import reads
from domain.notices.rules import AUDIENCE_LABELS, KIND_LABELS, STATE_LABELS
from domain.reads import Row
from tenants.roles import Permission

NoticeKind = strawberry.enum(Enum("NoticeKind", {k.upper(): k for k in KIND_LABELS}),
                             description="一般 general, 紧急 emergency, 停水停电 outage, 缴费 fee, 活动 event")
NoticeAudience = strawberry.enum(Enum("NoticeAudience", {k.upper(): k for k in AUDIENCE_LABELS}),
                                 description="全项目 the whole project, 指定楼栋 some buildings, 指定房屋 some flats")
NoticeState = strawberry.enum(Enum("NoticeState", {k.upper(): k for k in STATE_LABELS}),
                              description="草稿 → 待审核 → 已排期 / 已发布 → 已过期 / 已撤回")


@strawberry.type(description="What was sent about a notice to one of its channels.")
class NoticeDelivery:
    channel_name: str
    channel_kind: str
    topic: str
    status: str
    attempts: int
    sent_at: datetime | None
    last_error: str | None
    created_at: datetime


@strawberry.type(description="通知公告 A notice to a project's residents: the whole project, some buildings or some flats.")
class Notice(Node):
    row: strawberry.Private[Row]
    title: str
    body: str = strawberry.field(description="Plain text with line breaks; apps render it as text, never HTML.")
    kind: NoticeKind
    audience: NoticeAudience
    state: NoticeState
    publish_at: datetime | None = strawberry.field(description="定时发布 Published at this time once approved; null: at approval.")
    expires_at: datetime | None
    pinned: bool
    attachments: list[str]
    author: str
    approver: str | None
    returned_note: str | None = strawberry.field(description="退回意见 Why it was last returned to its author.")
    published_at: datetime | None
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    withdraw_reason: str | None
    recipient_count: int | None = strawberry.field(description="送达 The flats it reached; null until the fan-out has run.")
    created_at: datetime
    updated_at: datetime
    channel_ids: list[strawberry.ID] = strawberry.field(description="The delivery channels chosen to hear of it.")

    @strawberry.field
    def kind_label(self) -> str:
        return KIND_LABELS[self.row.kind]

    @strawberry.field
    def state_label(self) -> str:
        return STATE_LABELS[self.row.state]

    @strawberry.field(description="起草人 The author, by name.")
    async def author_actor(self, info: Info) -> Actor:
        return await actor_of(info, self.author)

    @strawberry.field(description="审核人 The approver, by name.")
    async def approver_actor(self, info: Info) -> Actor | None:
        return await actor_of(info, self.approver) if self.approver else None

    @strawberry.field(description="撤回人 Who withdrew it, by name.")
    async def withdrawn_by_actor(self, info: Info) -> Actor | None:
        return await actor_of(info, self.withdrawn_by) if self.withdrawn_by else None

    @strawberry.field
    async def project(self, info: Info) -> Project | None:
        row = await info.context.loaders.project_by_id.load(self.row.project_id)
        return Project.from_row(row) if row else None

    @strawberry.field(description="The buildings it is aimed at (audience BUILDINGS).")
    async def building_ids(self, info: Info) -> list[strawberry.ID]:
        targets = await info.context.loaders.targets_by_notice.load(self.row.id)
        return [to_global_id("Building", t.building_id) for t in targets if t.building_id]

    @strawberry.field(description="The flats it is aimed at (audience UNITS).")
    async def unit_ids(self, info: Info) -> list[strawberry.ID]:
        targets = await info.context.loaders.targets_by_notice.load(self.row.id)
        return [to_global_id("Unit", t.unit_id) for t in targets if t.unit_id]

    @strawberry.field(description="已读 Flats where someone has read it.")
    async def read_unit_count(self, info: Info) -> int:
        count: int = await info.context.loaders.read_units_by_notice.load(self.row.id)
        return count

    @strawberry.field(description="未读 The flats it reached that have not read it, by building, entrance, floor and number: "
                                  "whom to phone or visit.")
    async def unread_units(self, info: Info, building_id: strawberry.ID | None = None, first: int | None = 20,
                           after: str | None = None) -> Connection[Unit]:
        limit = page_size(first)
        building = from_global_id(building_id, "Building", "buildingId") if building_id else None
        rows = await reads.unread_page(info.context.db, self.row.id, building, after_id(after), limit + 1)
        return connection(rows, limit, _unread_unit)

    @strawberry.field(description="What was sent about it, channel by channel (drafters and approvers only).")
    async def deliveries(self, info: Info) -> list[NoticeDelivery]:
        if not _works_on(info, self.row.project_id):
            return []
        return [NoticeDelivery(channel_name=r.channel_name, channel_kind=r.channel_kind, topic=r.topic, status=r.status,
                               attempts=r.attempts, sent_at=r.sent_at, last_error=r.last_error, created_at=r.created_at)
                for r in await reads.deliveries(info.context.db, self.row.id)]

    @classmethod
    def from_row(cls, r: Row) -> Notice:
        return cls(id=to_global_id("Notice", r.id), row=r, title=r.title, body=r.body, kind=NoticeKind(r.kind),
                   audience=NoticeAudience(r.audience), state=NoticeState(r.state), publish_at=r.publish_at, expires_at=r.expires_at,
                   pinned=r.pinned, attachments=list(r.attachments), author=r.author, approver=r.approver,
                   returned_note=r.returned_note, published_at=r.published_at, withdrawn_at=r.withdrawn_at,
                   withdrawn_by=r.withdrawn_by, withdraw_reason=r.withdraw_reason, recipient_count=r.recipient_count,
                   created_at=r.created_at, updated_at=r.updated_at,
                   channel_ids=[to_global_id("DeliveryChannel", c) for c in r.channel_ids or ()])


def _unread_unit(r: Row) -> Unit:
    unit = Unit.from_row(r)
    unit.app_user = r.app_user
    return unit


def _works_on(info: Info, project_id: UUID) -> bool:
    """Drafters and approvers of the project see its work in progress."""
    p = info.context.require()
    return p.can(Permission.NOTICE_DRAFT, project_id) or p.can(Permission.NOTICE_PUBLISH, project_id)


async def notice_connection(info: Info, project_id: strawberry.ID, state: str | None, kind: str | None, first: int | None,
                            after: str | None) -> Connection[Notice]:
    project = await required_project_in_reach(info, project_id)
    limit = page_size(first)
    rows = await reads.notice_page(info.context.db, project, state=state, kind=kind, drafts=_works_on(info, project),
                                   after=after_id(after), limit=limit + 1)
    return connection(rows, limit, Notice.from_row)


async def notice(info: Info, notice_id: UUID) -> Notice | None:
    row = await reads.notice(info.context.db, notice_id)
    if row is None or (row.state in ("draft", "pending") and not _works_on(info, row.project_id)):
        return None
    return Notice.from_row(row)
