"""One call to record a change: its audit row and its outbox event, in the caller's transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from domain.events import Event
from domain.outbox import write_audit, write_event


async def record_change(
    conn: AsyncConnection,
    *,
    org_id: UUID,
    project_id: UUID | None,
    actor: str,
    topic: str,
    entity: str,
    entity_id: UUID,
    data: dict[str, Any],
) -> Event:
    event = Event(topic=topic, org_id=org_id, project_id=project_id,
                  payload={"entity_id": str(entity_id), "actor": actor, **data})
    await write_audit(conn, org_id=org_id, project_id=project_id, actor=actor, action=topic,
                      entity=entity, entity_id=entity_id, data=data)
    await write_event(conn, event)
    return event
