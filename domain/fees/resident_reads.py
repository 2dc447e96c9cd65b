"""What a resident reads of their fees (docs/resident-services.md §6.9): a flat's account, their
bills and their payments. Run under the resident's own role, so row-level security is the wall —
their current flats, bills of months that ended on or after they moved in, payments since then.
Each statement also names the resident's flats itself, for the index; a page is one statement
with the flat's label, the item's name and a payment's shares joined in, so its cost does not grow
with its length."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.reads import Reader, Row

_LABEL = "concat_ws(' ', bd.name, CASE WHEN u.entrance <> '' THEN u.entrance || '单元' END, u.number)"
_THEIR_FLATS = "(SELECT o.unit_id FROM occupancies o WHERE o.org_id = :o AND o.resident_id = :r AND o.moved_out_on IS NULL)"

# The flat must be one the resident sees (a current flat of theirs), else no row: another flat's
# account is null, as another's case is.
_ACCOUNT = text(
    "WITH b AS (SELECT b.charge_item_id, b.amount_fen - b.waived_fen - b.paid_fen AS owed, b.due_on FROM bills b "
    "           WHERE b.org_id = :o AND b.unit_id = :u AND b.state = 'open') "
    f"SELECT u.id AS unit_id, {_LABEL} AS label, "
    "  (SELECT coalesce(sum(owed), 0) FROM b)::bigint AS outstanding_fen, "
    "  (SELECT coalesce(sum(owed) FILTER (WHERE due_on < :today), 0) FROM b)::bigint AS overdue_fen, "
    "  (SELECT coalesce(sum(p.unallocated_fen), 0) FROM payments p WHERE p.org_id = u.org_id AND p.project_id = u.project_id "
    "     AND p.unit_id = u.id AND p.unallocated_fen > 0 AND p.reversed_at IS NULL)::bigint AS credit_fen, "
    "  (SELECT coalesce(json_agg(json_build_object('id', i.id, 'code', i.code, 'name', i.name, 'kind', i.kind, "
    "                                              'outstanding_fen', x.owed) ORDER BY i.code), '[]') "
    "     FROM (SELECT charge_item_id, sum(owed)::bigint AS owed FROM b GROUP BY charge_item_id) x "
    "     JOIN charge_items i ON i.org_id = u.org_id AND i.id = x.charge_item_id) AS by_item "
    "FROM units u JOIN buildings bd ON bd.org_id = u.org_id AND bd.id = u.building_id "
    f"WHERE u.org_id = :o AND u.id = :u AND u.id IN {_THEIR_FLATS}")

BILL_COLUMNS = ("b.id, b.unit_id, b.period, b.period_end, b.due_on, b.amount_fen, b.waived_fen, b.paid_fen, "
                "b.amount_fen - b.waived_fen - b.paid_fen AS outstanding_fen, b.state, b.note, "
                f"i.id AS item_id, i.code AS item_code, i.name AS item_name, i.kind AS item_kind, {_LABEL} AS unit_label")
# Newest month first; the filtered list once, its count, the page after the cursor's row.
_BILL_PAGE = text(
    f"WITH f AS (SELECT {BILL_COLUMNS} FROM bills b "
    "  JOIN charge_items i ON i.org_id = b.org_id AND i.id = b.charge_item_id "
    "  JOIN units u ON u.org_id = b.org_id AND u.id = b.unit_id JOIN buildings bd ON bd.org_id = u.org_id AND bd.id = u.building_id "
    f"  WHERE b.org_id = :o AND b.unit_id IN {_THEIR_FLATS} AND (CAST(:unit AS uuid) IS NULL OR b.unit_id = :unit) "
    "  AND (CAST(:state AS text) IS NULL OR b.state = :state)) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS uuid) IS NULL OR (f.period, f.id) < (SELECT a.period, a.id FROM f a WHERE a.id = :after) "
    "ORDER BY f.period DESC, f.id DESC LIMIT :limit")

# A payment's net share of each bill the resident sees, oldest month first; a reversed payment's
# shares net to zero and are left out.
_SHARES = (
    "(SELECT coalesce(json_agg(json_build_object('bill_id', s.bill_id, 'period', s.period, 'item_name', s.name, "
    "                                            'amount_fen', s.amount_fen) ORDER BY s.period, s.name, s.bill_id), '[]') "
    "   FROM (SELECT a.bill_id, b.period, i.name, sum(a.amount_fen)::bigint AS amount_fen FROM payment_allocations a "
    "         JOIN bills b ON b.org_id = a.org_id AND b.id = a.bill_id "
    "         JOIN charge_items i ON i.org_id = b.org_id AND i.id = b.charge_item_id "
    "         WHERE a.org_id = p.org_id AND a.payment_id = p.id GROUP BY a.bill_id, b.period, i.name "
    "         HAVING sum(a.amount_fen) <> 0) s)")
_PAYMENT_PAGE = text(
    "WITH f AS (SELECT p.id, p.unit_id, p.kind, p.amount_fen, p.method, p.receipt_no, p.paid_at, p.unallocated_fen, "
    f"  p.reversed_at, {_LABEL} AS unit_label, {_SHARES} AS shares FROM payments p "
    "  JOIN units u ON u.org_id = p.org_id AND u.id = p.unit_id JOIN buildings bd ON bd.org_id = u.org_id AND bd.id = u.building_id "
    f"  WHERE p.org_id = :o AND p.unit_id IN {_THEIR_FLATS}) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS uuid) IS NULL OR (f.paid_at, f.id) < (SELECT a.paid_at, a.id FROM f a WHERE a.id = :after) "
    "ORDER BY f.paid_at DESC, f.id DESC LIMIT :limit")


async def account(db: Reader, resident_id: UUID, unit_id: UUID, today: date) -> Row[Any] | None:
    """(unit_id, label, outstanding_fen, overdue_fen, credit_fen, by_item) of one of the resident's flats; None for another flat."""
    return await db.first(_ACCOUNT, {"o": db.org_id, "r": resident_id, "u": unit_id, "today": today})


async def bill_page(db: Reader, resident_id: UUID, unit_id: UUID | None, state: str | None, after: UUID | None,
                    limit: int) -> list[Row[Any]]:
    return await db.all(_BILL_PAGE, {"o": db.org_id, "r": resident_id, "unit": unit_id, "state": state, "after": after, "limit": limit})


async def payment_page(db: Reader, resident_id: UUID, after: UUID | None, limit: int) -> list[Row[Any]]:
    return await db.all(_PAYMENT_PAGE, {"o": db.org_id, "r": resident_id, "after": after, "limit": limit})
