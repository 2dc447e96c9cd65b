"""站内通知 The in-app inbox. Consumers of outbox events write one row per person, once per event
(the unique key makes a redelivered event a no-op even before the consumer's own mark)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.notifications.messages import escalation


_INSERT = text(
    "INSERT INTO notifications (org_id, user_id, project_id, case_id, event_id, topic, title, body) "
    "SELECT :o, u, :p, :c, :e, :topic, :title, :body FROM unnest(CAST(:users AS uuid[])) AS u "
    "ON CONFLICT (org_id, event_id, user_id) DO NOTHING"
)
_CASE = text("SELECT number, description, commitment_due FROM cases WHERE id = :c")


async def notify_escalation(conn: AsyncConnection, event: dict[str, Any]) -> None:
    p = event["payload"]
    users = [UUID(u) for u in p.get("recipients") or []]
    if not users:
        return
    case = (await conn.execute(_CASE, {"c": UUID(p["case_id"])})).first()
    if case is None:
        return
    title, body = escalation(case.number, case.description, p)
    await conn.execute(_INSERT, {"o": UUID(event["org_id"]), "p": UUID(event["project_id"]) if event.get("project_id") else None,
                                 "c": UUID(p["case_id"]), "e": UUID(event["id"]), "topic": event["topic"],
                                 "title": title[:200], "body": body[:2000], "users": users})
