"""欠费 The arrears list (docs/resident-services.md §6.5): one row per flat with overdue bills —
overdue and outstanding amounts, the oldest due date, the overdue amount by ageing bucket — and
the totals over the whole filtered list. One grouped statement over the open bills (the partial
index `bills_open`, led by (org_id, project_id)); the page after the cursor's flat in the list's
order; the contact person only for the page's flats. Today is the caller's (the Beijing day):
ageing is never stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.reads import Reader, Row

_OWED = "(b.amount_fen - b.waived_fen - b.paid_fen)"
_LATE = "(CAST(:today AS date) - b.due_on)"
_ORDER = {  # the list's order; the cursor's row is found by unit id
    "AMOUNT": ("-{t}.overdue_fen", "{t}.unit_id"),
    "AGE": ("{t}.oldest_due_on", "{t}.unit_id"),
    "UNIT": ("{t}.building_name", "{t}.entrance", "{t}.number", "{t}.unit_id"),
}


_KEEP = ("owed.overdue_fen > 0 AND owed.overdue_fen >= :min_amount AND CAST(:today AS date) - owed.oldest_due_on >= :min_days "
         "AND (CAST(:building AS uuid) IS NULL OR u.building_id = :building)")
# By amount or age the flats' places are read for the page only; by flat, for the whole list.
_FLATS = f"SELECT owed.* FROM owed JOIN units u ON u.org_id = :o AND u.project_id = :p AND u.id = owed.unit_id WHERE {_KEEP}"
_FLATS_BY_PLACE = (
    "SELECT owed.*, bd.name AS building_name, u.entrance, u.number FROM owed "
    "JOIN units u ON u.org_id = :o AND u.project_id = :p AND u.id = owed.unit_id "
    f"JOIN buildings bd ON bd.org_id = u.org_id AND bd.id = u.building_id WHERE {_KEEP}")


def _statement(order: str) -> Any:
    columns = _ORDER[order]
    mine = ", ".join(c.format(t="f") for c in columns)
    theirs = ", ".join(c.format(t="a") for c in columns)
    return text(
        "WITH owed AS ("
        f"  SELECT b.unit_id, sum({_OWED})::bigint AS outstanding_fen, "
        f"    coalesce(sum({_OWED}) FILTER (WHERE b.due_on < :today), 0)::bigint AS overdue_fen, "
        "    min(b.due_on) FILTER (WHERE b.due_on < :today) AS oldest_due_on, "
        f"    coalesce(sum({_OWED}) FILTER (WHERE {_LATE} BETWEEN 1 AND 30), 0)::bigint AS d30, "
        f"    coalesce(sum({_OWED}) FILTER (WHERE {_LATE} BETWEEN 31 AND 90), 0)::bigint AS d90, "
        f"    coalesce(sum({_OWED}) FILTER (WHERE {_LATE} BETWEEN 91 AND 180), 0)::bigint AS d180, "
        f"    coalesce(sum({_OWED}) FILTER (WHERE {_LATE} BETWEEN 181 AND 365), 0)::bigint AS d365, "
        f"    coalesce(sum({_OWED}) FILTER (WHERE {_LATE} > 365), 0)::bigint AS over365 "
        "  FROM bills b WHERE b.org_id = :o AND b.project_id = :p AND b.state = 'open' "
        "    AND (CAST(:item AS uuid) IS NULL OR b.charge_item_id = :item) GROUP BY b.unit_id), "
        f"f AS ({_FLATS_BY_PLACE if order == 'UNIT' else _FLATS}), "
        "page AS ("
        f"  SELECT f.*, row_number() OVER (ORDER BY {mine}) AS n FROM f "
        f"  WHERE CAST(:after AS uuid) IS NULL OR ({mine}) > (SELECT {theirs} FROM f a WHERE a.unit_id = :after) "
        f"  ORDER BY {mine} LIMIT :limit), "
        "totals AS (SELECT count(*) AS flats, coalesce(sum(overdue_fen), 0)::bigint AS overdue_fen, "
        "  coalesce(sum(outstanding_fen), 0)::bigint AS outstanding_fen, coalesce(sum(d30), 0)::bigint AS d30, "
        "  coalesce(sum(d90), 0)::bigint AS d90, coalesce(sum(d180), 0)::bigint AS d180, "
        "  coalesce(sum(d365), 0)::bigint AS d365, coalesce(sum(over365), 0)::bigint AS over365 FROM f) "
        "SELECT 0::bigint AS n, NULL::uuid AS unit_id, t.flats, t.overdue_fen, t.outstanding_fen, NULL::date AS oldest_due_on, "
        "  t.d30, t.d90, t.d180, t.d365, t.over365, NULL AS label, NULL AS contact_name, NULL AS contact_phone_masked "
        "FROM totals t "
        "UNION ALL "
        "SELECT page.n, page.unit_id, 1, page.overdue_fen, page.outstanding_fen, page.oldest_due_on, page.d30, page.d90, "
        "  page.d180, page.d365, page.over365, "
        "  concat_ws(' ', bd.name, CASE WHEN u.entrance <> '' THEN u.entrance || '单元' END, u.number), c.name, c.phone_masked "
        "FROM page JOIN units u ON u.org_id = :o AND u.id = page.unit_id JOIN buildings bd ON bd.org_id = :o AND bd.id = u.building_id "
        "LEFT JOIN LATERAL ("
        "  SELECT r.name, r.phone_masked FROM occupancies oc JOIN residents r ON r.org_id = oc.org_id AND r.id = oc.resident_id "
        "  WHERE oc.org_id = :o AND oc.project_id = :p AND oc.unit_id = page.unit_id AND oc.moved_out_on IS NULL "
        "    AND r.erased_at IS NULL "
        "  ORDER BY oc.primary_contact DESC, oc.role = 'owner' DESC, oc.created_at LIMIT 1) c ON true "
        "ORDER BY n")


_STATEMENTS = {order: _statement(order) for order in _ORDER}
ORDERS = tuple(_ORDER)


@dataclass(frozen=True)
class ArrearsFilter:
    building_id: UUID | None = None
    min_overdue_days: int = 1
    min_amount_fen: int = 0
    charge_item_id: UUID | None = None


async def arrears(db: Reader, org_id: UUID, project_id: UUID, today: date, f: ArrearsFilter, order: str,
                  after: UUID | None, limit: int) -> tuple[Row[Any], list[Row[Any]]]:
    """(totals, the page's rows in the list's order)."""
    rows = await db.all(_STATEMENTS[order], {
        "o": org_id, "p": project_id, "today": today, "item": f.charge_item_id, "building": f.building_id,
        "min_amount": f.min_amount_fen, "min_days": f.min_overdue_days, "after": after, "limit": limit})
    return rows[0], rows[1:]
