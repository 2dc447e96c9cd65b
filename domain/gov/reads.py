"""12345 bridges, their orders with the answers sent back, and each city's deadlines, as they are
read back under the caller's row-level security. A bridge's secret is never read; a requester's
phone only masked. An order's answers are the deliveries sent through its bridge
(`deliveries.ref_id` = the order)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, text

from domain.kpi.evaluation import Reader

_BRIDGE_COLUMNS = "id, project_id, name, city, callback_url, receiver_id, active, last_used_at, created_at, created_by, updated_at"
_BRIDGES = text(f"SELECT {_BRIDGE_COLUMNS} FROM gov_bridges WHERE org_id = :o AND (CAST(:p AS uuid) IS NULL OR project_id = :p) "
                "ORDER BY created_at, id")
_BRIDGE = text(f"SELECT {_BRIDGE_COLUMNS} FROM gov_bridges WHERE org_id = :o AND id = :id")
_ORDER_COLUMNS = (
    "id, project_id, bridge_id, case_id, order_number, category, urgency, content, address, requester_name, "
    "requester_phone_masked, received_at, response_due, resolve_due, status, responded_at, answered_at, result, returned_reason, "
    "returned_body_id, evaluation, evaluated_at"
)
_ORDERS = text(f"SELECT {_ORDER_COLUMNS} FROM gov_orders WHERE org_id = :o AND (CAST(:p AS uuid) IS NULL OR project_id = :p) "
               "AND (CAST(:s AS text) IS NULL OR status = :s) ORDER BY received_at DESC, id LIMIT :n")
_ORDER = text(f"SELECT {_ORDER_COLUMNS} FROM gov_orders WHERE org_id = :o AND id = :id")
_ANSWERS = text(
    "SELECT ref_id, id, data->>'answer' AS answer, coalesce(data->>'text', data->>'reason') AS text, status, attempts, "
    "  last_error, created_at, sent_at FROM deliveries WHERE org_id = :o AND purpose = 'gov_callback' AND ref_id = ANY(:ids) "
    "ORDER BY created_at, id"
)
_CITY_ROWS = text("SELECT city, urgency, response_minutes, resolve_minutes, updated_at FROM gov_city_deadlines "
                  "WHERE org_id = :o AND (CAST(:c AS text) IS NULL OR city = :c) ORDER BY city, urgency")


async def bridges(db: Reader, project_id: UUID | None) -> list[Row[Any]]:
    """Oldest first; of one project when given."""
    return await db.all(_BRIDGES, {"o": db.org_id, "p": project_id})


async def bridge(db: Reader, bridge_id: UUID) -> Row[Any] | None:
    return await db.first(_BRIDGE, {"o": db.org_id, "id": bridge_id})


async def orders(db: Reader, project_id: UUID | None, status: str | None, first: int) -> list[Row[Any]]:
    """Newest first; each filter applies only when given."""
    return await db.all(_ORDERS, {"o": db.org_id, "p": project_id, "s": status, "n": first})


async def order(db: Reader, order_id: UUID) -> Row[Any] | None:
    return await db.first(_ORDER, {"o": db.org_id, "id": order_id})


async def answers(db: Reader, order_ids: list[UUID]) -> list[Row[Any]]:
    """Every answer sent back for the orders, oldest first, each with its order as `ref_id`."""
    return await db.all(_ANSWERS, {"o": db.org_id, "ids": order_ids})


async def city_deadlines(db: Reader, city: str | None) -> list[Row[Any]]:
    """What the company set, by city and urgency; of one city when given."""
    return await db.all(_CITY_ROWS, {"o": db.org_id, "c": city})
