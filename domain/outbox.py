"""The outbox and audit-log writers. Both take an open connection: the caller's unit of work owns
the transaction, so a state change, its audit row and its event commit together or not at all."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
from opentelemetry import propagate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.events import Event
from tenants import direct

_INSERT_OUTBOX = text(
    "INSERT INTO outbox (org_id, id, project_id, topic, payload, trace_context) "
    "VALUES (:org_id, :id, :project_id, :topic, CAST(:payload AS jsonb), CAST(:trace AS jsonb))"
)
_INSERT_AUDIT = text(
    "INSERT INTO audit_log (org_id, project_id, actor, action, entity, entity_id, from_state, "
    "to_state, note, data, event_id) VALUES (:org_id, :project_id, :actor, :action, :entity, "
    ":entity_id, :from_state, :to_state, :note, CAST(:data AS jsonb), :event_id) "
    "ON CONFLICT (org_id, event_id, action) WHERE event_id IS NOT NULL DO NOTHING "
    "RETURNING id"
)


def _json(value: Any) -> str:
    return orjson.dumps(value, default=str).decode()


async def write_event(conn: AsyncConnection, event: Event) -> None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)  # the request's trace continues in the worker
    # Every change writes these: past SQLAlchemy (tenants/direct.py).
    await direct.run(
        conn,
        _INSERT_OUTBOX,
        {
            "org_id": event.org_id,
            "id": event.id,
            "project_id": event.project_id,
            "topic": event.topic,
            "payload": _json(event.payload),
            "trace": _json(carrier),
        },
    )


async def write_audit(
    conn: AsyncConnection,
    *,
    org_id: UUID,
    project_id: UUID | None,
    actor: str,
    action: str,
    entity: str,
    entity_id: UUID | None,
    from_state: str | None = None,
    to_state: str | None = None,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    event_id: UUID | None = None,
) -> bool:
    """Returns False when this event was already recorded for this action."""
    written = await direct.first(
        conn,
        _INSERT_AUDIT,
        {
            "org_id": org_id,
            "project_id": project_id,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "from_state": from_state,
            "to_state": to_state,
            "note": note,
            "data": _json(data or {}),
            "event_id": event_id,
        },
    )
    return written is not None
