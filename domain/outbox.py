"""The outbox and audit-log writers. They take an open connection: the caller's unit of work owns
the transaction, so a state change, its audit row and its event commit together or not at all.
`write_records` writes all that a unit of work collected, and its idempotency key's result, in a
single statement: it runs on
every change, and in a use case that holds a counter row to its commit (a 12345 order's number)
each round trip here is one more the counter stays locked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import orjson
from opentelemetry import propagate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.events import Event
from tenants import direct, idempotency

# The audit rows and the events of a unit of work, one statement. An event's created_at orders the
# relay and a case's consumers; rows of one statement would share clock_timestamp() at a coarse
# clock, so each is one microsecond later than the one before, in the order collected.
_INSERT_RECORDS = text(
    "WITH a AS (INSERT INTO audit_log (org_id, project_id, actor, action, entity, entity_id, from_state, to_state, note, data, event_id) "
    "  SELECT :o, r.project_id, r.actor, r.action, r.entity, r.entity_id, r.from_state, r.to_state, r.note, "
    "         CAST(r.data AS jsonb), r.event_id "
    "  FROM unnest(CAST(:a_project AS uuid[]), CAST(:a_actor AS text[]), CAST(:a_action AS text[]), "
    "              CAST(:a_entity AS text[]), CAST(:a_entity_id AS uuid[]), CAST(:a_from AS text[]), "
    "              CAST(:a_to AS text[]), CAST(:a_note AS text[]), CAST(:a_data AS text[]), CAST(:a_event AS uuid[])) "
    "       AS r(project_id, actor, action, entity, entity_id, from_state, to_state, note, data, event_id) "
    "  ON CONFLICT (org_id, event_id, action) WHERE event_id IS NOT NULL DO NOTHING), "
    # The idempotency key's result (tenants/idempotency.py `remember`), in the same round trip;
    # no key: :k_key is null and no row matches.
    "k AS (UPDATE idempotency_keys SET response = CAST(:k_response AS jsonb) "
    "  WHERE org_id = :o AND principal = :k_principal AND key = :k_key) "
    "INSERT INTO outbox (org_id, id, project_id, topic, payload, trace_context, created_at) "
    "SELECT :o, e.id, e.project_id, e.topic, CAST(e.payload AS jsonb), CAST(:trace AS jsonb), "
    "       clock_timestamp() + make_interval(secs => e.n / 1e6) "
    "FROM unnest(CAST(:e_id AS uuid[]), CAST(:e_project AS uuid[]), CAST(:e_topic AS text[]), CAST(:e_payload AS text[])) "
    "     WITH ORDINALITY AS e(id, project_id, topic, payload, n) ORDER BY e.n"
)


def _json(value: Any) -> str:
    return orjson.dumps(value, default=str).decode()


@dataclass(frozen=True, slots=True)
class Remembered:
    """An idempotency key's result, kept with the records it led to (tenants/idempotency.py)."""

    principal: str
    key: str
    response: dict[str, Any]


async def write_records(conn: AsyncConnection, *, org_id: UUID, audit: list[dict[str, Any]], events: list[Event],
                        remembered: Remembered | None = None) -> None:
    """Audit rows (dicts of audit_log's columns but org_id; `data` a dict) and events of one
    company, in the order given, and the result of the idempotency key claimed beside them."""
    if not audit and not events:
        if remembered is not None:
            await idempotency.remember(conn, org_id=org_id, principal=remembered.principal, key=remembered.key,
                                       response=remembered.response)
        return
    if any(e.org_id != org_id for e in events):
        raise ValueError("a unit of work writes the events of its own company only")
    carrier: dict[str, str] = {}
    propagate.inject(carrier)

    def column(key: str) -> list[Any]:
        return [row.get(key) for row in audit]

    await direct.run(conn, _INSERT_RECORDS, {
        "o": org_id, "a_project": column("project_id"), "a_actor": column("actor"), "a_action": column("action"),
        "a_entity": column("entity"), "a_entity_id": column("entity_id"), "a_from": column("from_state"),
        "a_to": column("to_state"), "a_note": column("note"), "a_data": [_json(row.get("data") or {}) for row in audit],
        "a_event": column("event_id"),
        "e_id": [e.id for e in events], "e_project": [e.project_id for e in events], "e_topic": [e.topic for e in events],
        "e_payload": [_json(e.payload) for e in events], "trace": _json(carrier),
        "k_principal": remembered.principal if remembered else None, "k_key": remembered.key if remembered else None,
        "k_response": orjson.dumps(remembered.response).decode() if remembered else None,
    })
