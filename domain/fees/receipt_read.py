"""收据 A payment as its printed receipt needs it: the company and project, the flat, the payment
and each bill it paid (item, month, amount). Row-level security limits it to the caller's wall."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.reads import Reader, Row

_PAYMENT = text(
    "SELECT p.id, p.project_id, p.kind, p.receipt_no, p.amount_fen, p.unallocated_fen, p.method, p.paid_at, p.invoice_no, p.note, "
    "  p.recorded_by, p.reversed_at, pr.name AS project_name, o.name AS org_name, "
    "  concat_ws(' ', b.name, CASE WHEN u.entrance <> '' THEN u.entrance || '单元' END, u.number) AS unit_label "
    "FROM payments p JOIN projects pr ON pr.org_id = p.org_id AND pr.id = p.project_id "
    "JOIN organizations o ON o.org_id = p.org_id "
    "JOIN units u ON u.org_id = p.org_id AND u.id = p.unit_id JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id "
    "WHERE p.org_id = :o AND p.id = :id")
_LINES = text(
    "SELECT i.name AS item_name, bl.period, sum(a.amount_fen)::bigint AS amount_fen FROM payment_allocations a "
    "JOIN bills bl ON bl.org_id = a.org_id AND bl.id = a.bill_id "
    "JOIN charge_items i ON i.org_id = bl.org_id AND i.id = bl.charge_item_id "
    "WHERE a.org_id = :o AND a.payment_id = :id AND a.amount_fen > 0 "
    "GROUP BY i.name, bl.period, bl.due_on ORDER BY bl.due_on, bl.period, i.name")


async def receipt(db: Reader, payment_id: UUID) -> tuple[Row[Any], list[Row[Any]]] | None:
    """The payment and the lines it first paid (a reversal does not rewrite the receipt)."""
    head = await db.first(_PAYMENT, {"o": db.org_id, "id": payment_id})
    if head is None:
        return None
    return head, await db.all(_LINES, {"o": db.org_id, "id": payment_id})
