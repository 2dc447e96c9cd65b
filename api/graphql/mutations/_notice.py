"""What the notice mutations share: the input a draft is written in, and the payload."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.notice import Notice, NoticeAudience, NoticeKind, notice
from domain.notices.rules import NoticeDraft


@strawberry.input(description="通知公告 What a notice says, to whom, when, and which channels hear of it.")
class NoticeInput:
    title: str = strawberry.field(description="1–100 characters")
    body: str = strawberry.field(description="Plain text with line breaks, 1–5,000 characters.")
    kind: NoticeKind
    audience: NoticeAudience
    building_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="Audience BUILDINGS: 1–500.")
    unit_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="Audience UNITS: 1–20,000 flats.")
    publish_at: datetime | None = strawberry.field(default=None, description="定时发布; null: published when approved.")
    expires_at: datetime | None = strawberry.field(default=None, description="Required for EMERGENCY and OUTAGE.")
    channel_ids: list[strawberry.ID] = strawberry.field(default_factory=list,
                                                        description="Delivery channels of the project or the company, each "
                                                                    "subscribed to the notice topics it should hear.")
    attachments: list[str] = strawberry.field(default_factory=list, description="https:// URLs, at most 9.")
    pinned: bool = False

    def draft(self) -> NoticeDraft:
        return NoticeDraft(
            title=self.title, body=self.body, kind=self.kind.value, audience=self.audience.value,
            building_ids=tuple(from_global_id(b, "Building", "buildingIds") for b in self.building_ids),
            unit_ids=tuple(from_global_id(u, "Unit", "unitIds") for u in self.unit_ids),
            publish_at=self.publish_at, expires_at=self.expires_at,
            channel_ids=tuple(from_global_id(c, "DeliveryChannel", "channelIds") for c in self.channel_ids),
            attachments=tuple(self.attachments), pinned=self.pinned)


@strawberry.type
class NoticePayload:
    notice: Notice | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def notice_payload(info: Info, notice_id: UUID) -> NoticePayload:
    return NoticePayload(notice=await notice(info, notice_id))


def parse_notice_id(value: strawberry.ID) -> UUID:
    return from_global_id(value, "Notice", "noticeId")
