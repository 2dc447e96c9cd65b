"""站内通知 The in-app inbox. Consumers of outbox events write one row per person, once per event
(the unique key makes a redelivered event a no-op even before the consumer's own mark)."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import forbidden, invalid
from domain.notifications.hazard_inbox import notify_hazard
from domain.notifications.messages import escalation, skip_level_repeat
from domain.sla.targets import is_skip_level


# Each new row is announced on the live channel (api/live/listener.py) for the `inbox`
# subscription: who it is for and its id, never its words. NOTIFY goes out at commit only, and a
# redelivered event inserts nothing, so nothing is announced twice. Done here rather than in a
# trigger because this is the one place rows are written.
_INSERT = text(
    "WITH added AS ("
    "  INSERT INTO notifications (org_id, user_id, project_id, case_id, event_id, topic, title, body) "
    "  SELECT :o, u, :p, :c, :e, :topic, :title, :body FROM unnest(CAST(:users AS uuid[])) AS u "
    "  ON CONFLICT (org_id, event_id, user_id) DO NOTHING RETURNING org_id, id, user_id, project_id, case_id, event_id) "
    "SELECT count(pg_notify('firstcall_live', json_build_object("
    "  'org_id', org_id, 'project_id', project_id, 'topic', 'inbox.notified', 'id', event_id, 'case_id', case_id, "
    "  'user_id', user_id, 'notification_id', id)::text)) FROM added"
)
_CASE = text("SELECT number, description, commitment_due FROM cases WHERE org_id = :o AND id = :c")
# The earlier case's first receiver, unless the complaint's skip-level escalation told them already.
_EARLIER_RECEIVER = text(
    "SELECT c.number, c.description, e.number AS earlier_number, e.first_receiver_id AS receiver "
    "FROM cases c JOIN cases e ON e.org_id = c.org_id AND e.id = :e WHERE c.org_id = :o AND c.id = :c AND NOT EXISTS ("
    "  SELECT 1 FROM escalations x WHERE x.org_id = c.org_id AND x.case_id = c.id AND x.reason = 'skip_level' "
    "  AND e.first_receiver_id = ANY (x.recipients))"
)


async def notify_escalation(conn: AsyncConnection, event: dict[str, Any]) -> None:
    p = event["payload"]
    users = [UUID(u) for u in p.get("recipients") or []]
    if not users:
        return
    case = (await conn.execute(_CASE, {"o": UUID(event["org_id"]), "c": UUID(p["case_id"])})).first()
    if case is None:
        return
    title, body = escalation(case.number, case.description, p)
    await conn.execute(_INSERT, {"o": UUID(event["org_id"]), "p": UUID(event["project_id"]) if event.get("project_id") else None,
                                 "c": UUID(p["case_id"]), "e": UUID(event["id"]), "topic": event["topic"],
                                 "title": title[:200], "body": body[:2000], "users": users})


_ACTION = text("SELECT title, due_on, owner_user_id, return_reason FROM improvement_actions WHERE org_id = :o AND id = :id")
_BEIJING = timezone(timedelta(hours=8))
_ITEM_LEVELS = {"remind": "提醒", "l1": "一级升级 L1", "l2": "二级升级 L2", "l3": "三级升级 L3"}


async def notify_item(conn: AsyncConnection, event: dict[str, Any]) -> None:
    """A corrective action: its owner hears it was raised or returned; the ladder's recipients
    that it is overdue (docs/centre-day.md §1, §6)."""
    p, topic = event["payload"], event["topic"]
    if topic == "item.escalated" and p.get("kind") == "patrol_run":
        await _notify_patrol(conn, event)
        return
    if topic == "item.escalated" and p.get("kind") == "hazard":
        await notify_hazard(conn, event)
        return
    if topic == "item.escalated":
        if p.get("kind") != "action" or not p.get("recipients"):
            return
        action_id, users = UUID(p["id"]), [UUID(u) for u in p["recipients"]]
    else:
        action_id = UUID(p["action_id"])
        users = []
    row = (await conn.execute(_ACTION, {"o": UUID(event["org_id"]), "id": action_id})).first()
    if row is None:
        return
    if topic == "item.escalated":
        title = f"{_ITEM_LEVELS.get(p.get('level') or '', '')}：整改措施逾期"
        body = f"「{row.title}」应于 {row.due_on.isoformat()} 前完成，至今未完成。"
    elif topic == "improvement.raised":
        users, title = [row.owner_user_id], "新的整改措施"
        body = f"「{row.title}」由您负责，请于 {row.due_on.isoformat()} 前完成并提交整改结果。"
    else:  # improvement.returned
        users, title = [row.owner_user_id], "整改措施被退回"
        body = f"「{row.title}」未通过验证：{row.return_reason or ''}。请于 {row.due_on.isoformat()} 前重新完成。"
    await conn.execute(_INSERT, {"o": UUID(event["org_id"]), "p": UUID(event["project_id"]) if event.get("project_id") else None,
                                 "c": None, "e": UUID(event["id"]), "topic": topic, "title": title[:200], "body": body[:2000],
                                 "users": users})


_RUN = text("SELECT r.name, pr.due_until, pr.state FROM patrol_runs pr JOIN patrol_routes r ON r.org_id = pr.org_id "
            "AND r.id = pr.route_id WHERE pr.org_id = :o AND pr.id = :id")


async def _notify_patrol(conn: AsyncConnection, event: dict[str, Any]) -> None:
    """A patrol run not finished by its window's end (docs/centre-day.md §2.1)."""
    p = event["payload"]
    users = [UUID(u) for u in p.get("recipients") or []]
    row = (await conn.execute(_RUN, {"o": UUID(event["org_id"]), "id": UUID(p["id"])})).first()
    if not users or row is None:
        return
    title = f"{_ITEM_LEVELS.get(p.get('level') or '', '')}：巡查未按时完成"
    body = f"巡查路线「{row.name}」应于 {row.due_until.astimezone(_BEIJING):%m-%d %H:%M} 前完成，至今未完成。"
    await conn.execute(_INSERT, {"o": UUID(event["org_id"]), "p": UUID(event["project_id"]) if event.get("project_id") else None,
                                 "c": None, "e": UUID(event["id"]), "topic": event["topic"], "title": title[:200],
                                 "body": body[:2000], "users": users})


async def notify_repeat_receiver(conn: AsyncConnection, event: dict[str, Any]) -> None:
    """A skip-level complaint linked as a repeat: whoever first received the earlier case hears
    that the demand went over the project's head."""
    p = event["payload"]
    if not is_skip_level(p.get("channel") or "", p.get("kind") or "") or not p.get("earlier_case_id"):
        return
    row = (await conn.execute(_EARLIER_RECEIVER, {"o": UUID(event["org_id"]),
                                                  "c": UUID(p["case_id"]), "e": UUID(p["earlier_case_id"])})).first()
    if row is None:
        return
    title, body = skip_level_repeat(row.number, row.earlier_number, row.description)
    await conn.execute(_INSERT, {"o": UUID(event["org_id"]), "p": UUID(event["project_id"]) if event.get("project_id") else None,
                                 "c": UUID(p["case_id"]), "e": UUID(event["id"]), "topic": event["topic"],
                                 "title": title[:200], "body": body[:2000], "users": [row.receiver]})


MARK_AT_MOST = 500
_MARK = text("UPDATE notifications SET read_at = now() WHERE org_id = :o AND user_id = :u AND read_at IS NULL AND (:all OR id = ANY(:ids))")


def check_marking(user_id: UUID | None, given: int, all: bool) -> None:
    """What may be marked read: the caller's own inbox, some ids (at most 500) or all of it."""
    if user_id is None:
        raise forbidden("集成密钥没有消息箱。Integrator keys have no inbox.")
    if not all and not given:
        raise invalid("请提供要标记的 ID，或设置 all: true。Give the ids to mark, or all: true.", "ids")
    if given > MARK_AT_MOST:
        raise invalid("每次最多 500 个 ID；或设置 all: true。At most 500 ids at a time; or all: true.", "ids")


async def mark_read(conn: AsyncConnection, org_id: UUID, user_id: UUID, ids: list[UUID], all: bool) -> None:
    # Only the caller's own rows match: someone else's id changes nothing.
    await conn.execute(_MARK, {"o": org_id, "u": user_id, "all": all, "ids": ids})
