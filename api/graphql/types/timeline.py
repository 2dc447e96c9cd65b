from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry
from sqlalchemy import text
from strawberry.scalars import JSON

from api.context import Info

_SQL = text(
    "SELECT at, action, from_state, to_state, actor, note, data FROM audit_log "
    "WHERE entity = 'case' AND entity_id = :c ORDER BY at, id"
)


@strawberry.type(description="One step of a case's history, from the audit log.")
class TimelineEntry:
    at: datetime
    action: str = strawberry.field(description="e.g. case.dispatched")
    from_state: str | None
    to_state: str | None
    actor: str = strawberry.field(description="user:<id>, api_key:<id> or system")
    note: str | None
    data: JSON


async def case_timeline(info: Info, case_id: UUID) -> list[TimelineEntry]:
    return [
        TimelineEntry(at=r.at, action=r.action, from_state=r.from_state, to_state=r.to_state, actor=r.actor, note=r.note, data=r.data)
        for r in await info.context.db.all(_SQL, {"c": case_id})
    ]
