"""通知公告 as a resident reads them: published, not expired, of their project or reaching their flat."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.graphql.types.node import to_global_id
from api.graphql.types.notice import NoticeKind
from domain.notices.rules import KIND_LABELS, urgent
from domain.reads import Row


@strawberry.type(description="通知公告 A notice to the resident: plain text with line breaks, never HTML.")
class ResidentNotice:
    id: strawberry.ID
    title: str
    body: str
    kind: NoticeKind
    kind_label: str
    urgent: bool = strawberry.field(description="紧急或停水停电 An emergency or outage.")
    pinned: bool
    attachments: list[str]
    published_at: datetime | None
    expires_at: datetime | None
    read: bool = strawberry.field(description="已读 The resident has marked it read (residentMarkNoticeRead).")

    @classmethod
    def from_row(cls, r: Row) -> ResidentNotice:
        return cls(id=to_global_id("Notice", r.id), title=r.title, body=r.body, kind=NoticeKind(r.kind), kind_label=KIND_LABELS[r.kind],
                   urgent=urgent(r.kind), pinned=r.pinned, attachments=list(r.attachments), published_at=r.published_at,
                   expires_at=r.expires_at, read=r.read)
