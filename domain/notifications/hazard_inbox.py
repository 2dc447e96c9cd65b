"""站内通知 for the hazard register (docs/centre-day.md §2.2): the owner hears a hazard was given to
them or sent back by verification; the ladder's recipients that one is past its deadline."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_HAZARD = text("SELECT number, title, deadline, owner_user_id, verify_note FROM hazards WHERE org_id = :o AND id = :id")
_INSERT = text(
    "WITH added AS ("
    "  INSERT INTO notifications (org_id, user_id, project_id, case_id, event_id, topic, title, body) "
    "  SELECT :o, u, :p, NULL, :e, :topic, :title, :body FROM unnest(CAST(:users AS uuid[])) AS u "
    "  ON CONFLICT (org_id, event_id, user_id) DO NOTHING RETURNING org_id, id, user_id, project_id, event_id) "
    "SELECT count(pg_notify('firstcall_live', json_build_object("
    "  'org_id', org_id, 'project_id', project_id, 'topic', 'inbox.notified', 'id', event_id, 'case_id', NULL, "
    "  'user_id', user_id, 'notification_id', id)::text)) FROM added"
)
_BEIJING = timezone(timedelta(hours=8))
_ITEM_LEVELS = {"remind": "提醒", "l1": "一级升级 L1", "l2": "二级升级 L2", "l3": "三级升级 L3"}


async def notify_hazard(conn: AsyncConnection, event: dict[str, Any]) -> None:
    p, topic = event["payload"], event["topic"]
    hazard_id = UUID(p["id"] if topic == "item.escalated" else p["hazard_id"])
    row = (await conn.execute(_HAZARD, {"o": UUID(event["org_id"]), "id": hazard_id})).first()
    if row is None:
        return
    due = f"{row.deadline.astimezone(_BEIJING):%m-%d %H:%M}"
    if topic == "item.escalated":
        users = [UUID(u) for u in p.get("recipients") or []]
        title = f"{_ITEM_LEVELS.get(p.get('level') or '', '')}：隐患逾期未整改"
        body = f"隐患 {row.number}「{row.title}」应于 {due} 前整改，至今未完成。"
    elif topic == "hazard.assigned":
        users, title = [row.owner_user_id], "新的隐患整改"
        body = f"隐患 {row.number}「{row.title}」由您负责，请于 {due} 前整改并提交。"
    else:  # hazard.returned
        users, title = [row.owner_user_id], "隐患整改未通过验证"
        body = f"隐患 {row.number}「{row.title}」未通过验证：{row.verify_note or ''}。请于 {due} 前重新整改。"
    if not users or None in users:
        return
    await conn.execute(_INSERT, {"o": UUID(event["org_id"]), "p": UUID(event["project_id"]) if event.get("project_id") else None,
                                 "e": UUID(event["id"]), "topic": topic, "title": title[:200], "body": body[:2000],
                                 "users": users})
