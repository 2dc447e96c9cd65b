"""Deliveries: for each event worth telling, one row per matching channel (the unique key makes a
redelivered event a no-op), and a `delivery.created` event, written by the consumer's unit of
work, that a worker turns into the actual send — so the message is recorded in the event's
transaction and sent after it commits."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import text

from domain.events import Event
from domain.fees.reminder_messages import FEE_TOPICS, reminder_message
from domain.notices.messages import NOTICE_TOPICS, notice_message
from domain.notifications.messages import reaches, render
from domain.surveys.invitations import SURVEY_TOPICS, invitation_message
from domain.unit_of_work import UnitOfWork

_CHANNELS = text(
    "SELECT id, min_level FROM delivery_channels "
    "WHERE org_id = :o AND active AND :topic = ANY(topics) AND (project_id IS NULL OR project_id = CAST(:p AS uuid)) "
    "AND (CAST(:only AS uuid[]) IS NULL OR id = ANY(CAST(:only AS uuid[])))"
)
_CASE = text("SELECT number, description FROM cases WHERE org_id = :o AND id = :c")
_NAMES = text(
    "SELECT id, display_name AS name FROM users WHERE org_id = :o AND id = ANY(:ids) "
    "UNION ALL SELECT id, name FROM departments WHERE org_id = :o AND id = ANY(:ids)"
)
_INSERT = text(
    "INSERT INTO deliveries (org_id, channel_id, project_id, event_id, topic, title, body, data) "
    "VALUES (:o, :ch, :p, :e, :topic, :title, :body, CAST(:data AS jsonb)) ON CONFLICT DO NOTHING RETURNING id"
)


async def plan_deliveries(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """In the consumer's unit of work, which writes the `delivery.created` events at commit."""
    conn = uow.conn
    topic, payload = event["topic"], event["payload"]
    project = UUID(event["project_id"]) if event.get("project_id") else None
    # A notice reaches only the channels chosen on it, a reminder batch only its schedule's.
    chosen = topic in NOTICE_TOPICS or topic in FEE_TOPICS
    only = [str(c) for c in payload.get("channel_ids") or ()] if chosen else None
    if only == []:
        return
    channels = [r for r in await conn.execute(_CHANNELS, {"o": uow.org_id, "topic": topic, "p": project, "only": only})
                if reaches(r.min_level, payload)]
    if not channels:
        return
    if topic in NOTICE_TOPICS:
        await _plan(uow, event, channels, await notice_message(conn, uow.org_id, topic, payload))
        return
    if topic in FEE_TOPICS:
        await _plan(uow, event, channels, await reminder_message(conn, uow.org_id, payload))
        return
    if topic in SURVEY_TOPICS:
        await _plan(uow, event, channels, await invitation_message(conn, uow.org_id, payload))
        return
    number = description = None
    if payload.get("case_id"):
        case = (await conn.execute(_CASE, {"o": uow.org_id, "c": UUID(payload["case_id"])})).first()
        if case is not None:
            number, description = case.number, case.description
    ids = [UUID(payload[k]) for k in ("assignee_id", "department_id") if payload.get(k)]
    names = {r.id: r.name for r in await conn.execute(_NAMES, {"o": uow.org_id, "ids": ids})} if ids else {}
    await _plan(uow, event, channels, render(topic, payload, number=number, description=description, names=names))


async def _plan(uow: UnitOfWork, event: dict[str, Any], channels: list[Any], message: tuple[str, str] | None) -> None:
    if message is None:
        return
    topic, payload, conn = event["topic"], event["payload"], uow.conn
    project = UUID(event["project_id"]) if event.get("project_id") else None
    org = UUID(event["org_id"])
    for channel in channels:
        row = (await conn.execute(_INSERT, {
            "o": org, "ch": channel.id, "p": project, "e": UUID(event["id"]), "topic": topic, "title": message[0][:200],
            "body": message[1][:2000], "data": orjson.dumps(payload).decode()})).first()
        if row is not None:
            uow.record(Event(topic="delivery.created", org_id=org, project_id=project,
                             payload={"delivery_id": str(row.id)}))
