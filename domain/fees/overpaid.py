"""多收提醒 An integrator's payment marked OVERPAID (domain/fees/inbound_payments.py) reaches the inbox
of everyone who collects fees on its project (`fee:collect`): the money is real and kept as credit
or paid into other bills, and a cashier decides to refund it or keep it as credit (退款或转预存).
A consumer of `payment.recorded`; the inbox's unique key makes a redelivered event a no-op."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.fees.money import yuan
from tenants.roles import ORG_WIDE_ROLES, ROLE_PERMISSIONS, Permission

_COLLECTORS = sorted(r.value for r, held in ROLE_PERMISSIONS.items() if Permission.FEE_COLLECT in held)
_ORG_WIDE = sorted(r.value for r in ORG_WIDE_ROLES)
# Active people holding fee:collect on the project, or company-wide.
_HOLDERS = text(
    "SELECT DISTINCT u.id FROM users u JOIN role_assignments r ON r.org_id = u.org_id AND r.user_id = u.id "
    "WHERE u.org_id = :o AND u.active AND r.role = ANY(:roles) "
    "AND (r.project_id = :p OR (r.project_id IS NULL AND r.role = ANY(:org_wide))) ORDER BY u.id")
_FLAT = text("SELECT u.number, b.name AS building FROM units u JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id "
             "WHERE u.org_id = :o AND u.id = :u")
_INSERT = text(
    "WITH added AS ("
    "  INSERT INTO notifications (org_id, user_id, project_id, event_id, topic, title, body) "
    "  SELECT :o, u, :p, :e, :topic, :title, :body FROM unnest(CAST(:users AS uuid[])) AS u "
    "  ON CONFLICT (org_id, event_id, user_id) DO NOTHING RETURNING org_id, id, user_id, project_id, event_id) "
    "SELECT count(pg_notify('firstcall_live', json_build_object("
    "  'org_id', org_id, 'project_id', project_id, 'topic', 'inbox.notified', 'id', event_id, "
    "  'user_id', user_id, 'notification_id', id)::text)) FROM added")


async def notify_overpaid(conn: AsyncConnection, event: dict[str, Any]) -> None:
    p = event["payload"]
    if p.get("problem") != "OVERPAID" or not event.get("project_id"):
        return
    org, project = UUID(event["org_id"]), UUID(event["project_id"])
    users = [r.id for r in await conn.execute(_HOLDERS, {"o": org, "p": project, "roles": _COLLECTORS, "org_wide": _ORG_WIDE})]
    if not users:
        return
    flat = (await conn.execute(_FLAT, {"o": org, "u": UUID(p["unit_id"])})).first()
    where = f"{flat.building} {flat.number}" if flat else "房屋"
    title = f"线上缴费多收：{where}，请退款或转预存"
    body = (f"{where} 经缴费对接付款 ¥{yuan(p['amount_fen'])}（收据 {p.get('receipt_no', '')}），超出所缴账单的欠费，"
            f"其中 ¥{yuan(p.get('unallocated_fen') or 0)} 已作预存。请与住户联系，退款或确认转为预存。"
            f"An integrator's payment of ¥{yuan(p['amount_fen'])} was more than the named bills owed; "
            f"¥{yuan(p.get('unallocated_fen') or 0)} is kept as credit. Refund it or confirm it as credit.")
    await conn.execute(_INSERT, {"o": org, "p": project, "e": UUID(event["id"]), "topic": "payment.overpaid",
                                 "title": title[:200], "body": body[:2000], "users": users})
