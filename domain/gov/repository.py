"""12345 bridges, orders and city deadlines in PostgreSQL. Every statement runs inside the
caller's tenant wall (row-level security); the ids in WHERE clauses are conveniences, not the
guard."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.directory.repository import DirectoryRepository
from domain.errors import not_found
from domain.gov.model import Answer, AnswerKind, CityDeadlines, Deadlines, Evaluation, Order, Urgency
from domain.gov.rates import RateCounts
from domain.integrations.kinds import IntegrationKind
from domain.integrations.repository import IntegrationRows
from domain.unit_of_work import UnitOfWork
from tenants.roles import Permission

# What signed inbound requests need: the wall is already the bridge's project.
FIND_BRIDGE = text("SELECT org_id, project_id FROM gov_bridge_tenant(:id)")
# What the signed inbound check reads, with what a new order needs of its bridge.
BRIDGE_SECRET = text(
    "SELECT b.secret_enc, b.active, b.city, b.receiver_id, p.code AS project_code "
    "FROM gov_bridges b JOIN projects p ON p.org_id = b.org_id AND p.id = b.project_id WHERE b.org_id = :o AND b.id = :id"
)

_CITY = text("SELECT urgency, response_minutes, resolve_minutes FROM gov_city_deadlines WHERE org_id = :o AND city = :city")
_CLEAR_CITY = text("DELETE FROM gov_city_deadlines WHERE org_id = :o AND city = :city")
_SET_CITY = text(
    "INSERT INTO gov_city_deadlines (org_id, city, urgency, response_minutes, resolve_minutes) VALUES (:o, :city, :u, :a, :b)"
)
_BRIDGE = text("SELECT id, project_id, name, city, callback_url, secret_enc, receiver_id, active FROM gov_bridges WHERE org_id = "
               ":o AND id = :id")
_ORDER_COLUMNS = ("id, org_id, project_id, bridge_id, case_id, order_number, category, urgency, status, received_at, "
                  "response_due, resolve_due, responded_at, answered_at, evaluation")
_ORDER_FOR_UPDATE = text(f"SELECT {_ORDER_COLUMNS} FROM gov_orders WHERE org_id = :o AND id = :id FOR UPDATE")
_ORDER_BY_NUMBER = text(f"SELECT {_ORDER_COLUMNS} FROM gov_orders WHERE org_id = :o AND bridge_id = :b AND order_number = :n FOR UPDATE")
_INSERT_ORDER = text(
    "INSERT INTO gov_orders (org_id, project_id, bridge_id, case_id, order_number, category, urgency, content, address, "
    "  requester_name, requester_phone_enc, requester_phone_masked, received_at, response_due, resolve_due) "
    "VALUES (:o, :p, :b, :c, :n, :cat, :u, :content, :addr, :rn, :rp, :rm, :at, :rd, :sd) RETURNING id"
)
# The first answer of any kind is the response; the result or the return finishes the order.
_ANSWER = text(
    "UPDATE gov_orders SET status = CASE WHEN :kind = 'progress' AND status = 'received' THEN 'responded' "
    "    WHEN :kind = 'progress' THEN status ELSE :status END, "
    "  responded_at = coalesce(responded_at, :at), "
    "  answered_at = CASE WHEN :kind = 'progress' THEN answered_at ELSE :at END, "
    "  result = CASE WHEN :kind = 'result' THEN :text ELSE result END, "
    "  returned_reason = CASE WHEN :kind = 'returned' THEN :text ELSE returned_reason END, "
    "  returned_body_id = coalesce(CAST(:body AS uuid), returned_body_id) "
    "WHERE org_id = :o AND id = :id"
)
# The outside body a return names: one of the order's project.
_PROJECT_BODY = text("SELECT id, name FROM outside_bodies WHERE org_id = :o AND id = :b AND project_id = :p")
_CASE_NUMBER = text("SELECT number FROM cases WHERE org_id = :o AND id = :c")
# The order's category code if the company uses it, else 其他 — the government's own category
# stays on the order.
_CATEGORY = text("SELECT id FROM case_categories WHERE org_id = :o AND active AND code = ANY(:codes) "
                 "ORDER BY array_position(CAST(:codes AS text[]), code) LIMIT 1")
_EVALUATE = text("UPDATE gov_orders SET evaluation = :e, evaluated_at = :at WHERE org_id = :o AND id = :id")
# Read by the rates query on the request's read transaction.
COUNTS = text(
    "SELECT pr.id AS project_id, pr.code, pr.name, count(o.id) AS received, "
    "  count(o.id) FILTER (WHERE o.responded_at IS NOT NULL OR o.response_due <= :now) AS response_due, "
    "  count(o.id) FILTER (WHERE o.responded_at <= o.response_due) AS responded_on_time, "
    "  count(o.id) FILTER (WHERE o.status <> 'returned' AND (o.resolve_due <= :now OR o.status = 'answered')) AS resolve_due, "
    "  count(o.id) FILTER (WHERE o.status = 'answered' AND o.answered_at <= o.resolve_due) AS resolved_on_time, "
    "  count(o.id) FILTER (WHERE o.evaluation IS NOT NULL) AS evaluated, "
    "  count(o.id) FILTER (WHERE o.evaluation IN ('satisfied', 'basically_satisfied')) AS satisfied, "
    "  count(o.id) FILTER (WHERE o.status = 'returned') AS returned "
    "FROM projects pr LEFT JOIN gov_orders o ON o.org_id = pr.org_id AND o.project_id = pr.id "
    "  AND o.received_at >= :since AND o.received_at < :until "
    "WHERE pr.org_id = :org AND (CAST(:p AS uuid) IS NULL OR pr.id = :p) GROUP BY pr.id, pr.code, pr.name ORDER BY pr.code, pr.id"
)
COUNT_NAMES = ("received", "response_due", "responded_on_time", "resolve_due", "resolved_on_time", "evaluated", "satisfied",
               "returned")


async def city_deadlines(conn: AsyncConnection, org_id: UUID, city: str) -> dict[Urgency, Deadlines]:
    rows = (await conn.execute(_CITY, {"o": org_id, "city": city})).all()
    return {Urgency(r.urgency): Deadlines(r.response_minutes, r.resolve_minutes) for r in rows}


async def set_city_deadlines(conn: AsyncConnection, org_id: UUID, city: str, deadlines: dict[Urgency, Deadlines]) -> None:
    """The city's deadlines become exactly these; an urgency left out goes back to the default."""
    await conn.execute(_CLEAR_CITY, {"o": org_id, "city": city})
    for urgency, d in deadlines.items():
        await conn.execute(_SET_CITY, {"o": org_id, "city": city, "u": urgency.value, "a": d.response_minutes,
                                       "b": d.resolve_minutes})


async def bridge(conn: AsyncConnection, org_id: UUID, bridge_id: UUID) -> Row[Any] | None:
    return (await conn.execute(_BRIDGE, {"o": org_id, "id": bridge_id})).first()


async def order_for_update(conn: AsyncConnection, org_id: UUID, order_id: UUID) -> Row[Any] | None:
    return (await conn.execute(_ORDER_FOR_UPDATE, {"o": org_id, "id": order_id})).first()


async def order_by_number(conn: AsyncConnection, org_id: UUID, bridge_id: UUID, number: str) -> Row[Any] | None:
    return (await conn.execute(_ORDER_BY_NUMBER, {"o": org_id, "b": bridge_id, "n": number})).first()


async def add_order(conn: AsyncConnection, *, org_id: UUID, project_id: UUID, bridge_id: UUID, case_id: UUID, order: Order,
                    phone_enc: bytes | None, phone_masked: str | None) -> UUID:
    order_id: UUID = (await conn.execute(_INSERT_ORDER, {
        "o": org_id, "p": project_id, "b": bridge_id, "c": case_id, "n": order.order_number, "cat": order.category,
        "u": order.urgency.value, "content": order.content, "addr": order.address, "rn": order.requester_name,
        "rp": phone_enc, "rm": phone_masked, "at": order.received_at, "rd": order.response_due, "sd": order.resolve_due,
    })).scalar_one()
    return order_id


async def record_answer(conn: AsyncConnection, org_id: UUID, order_id: UUID, answer: Answer, body_id: UUID | None) -> None:
    await conn.execute(_ANSWER, {"o": org_id, "id": order_id, "kind": answer.kind.value, "status": answer.status, "at": answer.at,
                                 "text": answer.text, "body": body_id if answer.kind is AnswerKind.RETURNED else None})


async def project_body(conn: AsyncConnection, org_id: UUID, body_id: UUID, project_id: UUID) -> Row[Any] | None:
    return (await conn.execute(_PROJECT_BODY, {"o": org_id, "b": body_id, "p": project_id})).first()


async def case_number(conn: AsyncConnection, org_id: UUID, case_id: UUID) -> str:
    number: str = (await conn.execute(_CASE_NUMBER, {"o": org_id, "c": case_id})).scalar_one()
    return number


async def order_category(conn: AsyncConnection, org_id: UUID, code: str | None) -> UUID | None:
    """The active category a new order is filed under: its own code, else 'other'; None if neither."""
    category: UUID | None = (await conn.execute(_CATEGORY, {"o": org_id, "codes": [c for c in (code, "other") if c]})).scalar()
    return category


async def record_evaluation(conn: AsyncConnection, org_id: UUID, order_id: UUID, evaluation: Evaluation, at: datetime) -> None:
    await conn.execute(_EVALUATE, {"o": org_id, "id": order_id, "e": evaluation.value, "at": at})


def counts_of(row: Row[Any]) -> RateCounts:
    """A `COUNTS` row as the numbers the rates are made of."""
    return RateCounts(**{n: getattr(row, n) for n in COUNT_NAMES})


# What makes bridges one kind of signed integration (domain/integrations/): the audit entity, the
# inbound receipts' source label and the tenant finder (`gov_bridge_tenant`) keep the bridge's name.
GOV = IntegrationKind(entity="gov_bridge", table="gov_bridges", permission=Permission.GOV_BRIDGE_MANAGE,
                      operation="GovIntegration", noun="The 12345 bridge", zh="12345对接",
                      columns=("city", "callback_url", "receiver_id"))


class BridgeRepository(IntegrationRows):
    """The bridges' own rows are the shared ones (domain/integrations/repository.py); a bridge adds
    its receiver's place."""

    def __init__(self, uow: UnitOfWork) -> None:
        super().__init__(uow, GOV)

    async def check_receiver(self, project_id: UUID, receiver_id: UUID) -> None:
        """The receiver registers the orders (首问): an active user with a role on the project."""
        if not await DirectoryRepository(self._uow).works_in(receiver_id, project_id):
            raise not_found("An active user with a role on this project", "receiverId", zh="接单人（本项目中有角色的启用用户）")


async def save_city_deadlines(uow: UnitOfWork, chosen: CityDeadlines) -> None:
    uow.track(chosen)
    await set_city_deadlines(uow.conn, chosen.org_id, chosen.city, chosen.deadlines)
