"""The rows of the fee exports (docs/resident-services.md §6.8), one statement per sheet, named by
the fields of `export_sheets.py`. A flat's contact is selected with the masked phone only. Rows
come through a server-side cursor in chunks, so a project's whole year of bills is never held
whole. Row-level security limits every statement to the caller's company and projects as well."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncConnection

CHUNK = 2_000
_OWED = "(b.amount_fen - b.waived_fen - b.paid_fen)"
_LATE = "(CAST(:as_of AS date) - b.due_on)"
_YUAN = "round(({x})::numeric / 100, 2)"
_PLACE = ("JOIN units u ON u.org_id = b.org_id AND u.id = b.unit_id "
          "JOIN buildings bd ON bd.org_id = u.org_id AND bd.id = u.building_id")
_FLAT = "bd.name AS building, u.entrance, u.number"
_BILL = (f"{_FLAT}, i.code AS item_code, i.name AS item, to_char(b.period, 'YYYY-MM') AS period, b.due_on, "
         f"{_YUAN.format(x='b.amount_fen')} AS amount, {_YUAN.format(x='b.waived_fen')} AS waived, "
         f"{_YUAN.format(x='b.paid_fen')} AS paid, {_YUAN.format(x=_OWED)} AS owed, b.source")
_ITEM = "JOIN charge_items i ON i.org_id = b.org_id AND i.id = b.charge_item_id"


def _bucket(low: int, high: int | None) -> str:
    cond = f"{_LATE} > {low - 1}" if high is None else f"{_LATE} BETWEEN {low} AND {high}"
    return f"{_YUAN.format(x=f'coalesce(sum({_OWED}) FILTER (WHERE {cond}), 0)')}"


_STATEMENTS = {
    # One row per flat with overdue bills on the as-of day: the arrears list's figures, every flat.
    "arrears": (
        "WITH owed AS (SELECT b.unit_id, sum(" + _OWED + ") AS outstanding, "
        f"  coalesce(sum({_OWED}) FILTER (WHERE b.due_on < :as_of), 0) AS overdue, "
        "  min(b.due_on) FILTER (WHERE b.due_on < :as_of) AS oldest_due_on, "
        f"  {_bucket(1, 30)} AS d30, {_bucket(31, 90)} AS d90, {_bucket(91, 180)} AS d180, {_bucket(181, 365)} AS d365, "
        f"  {_bucket(366, None)} AS over365 "
        "  FROM bills b WHERE b.org_id = :o AND b.project_id = :p AND b.state = 'open' GROUP BY b.unit_id) "
        f"SELECT {_FLAT}, c.name AS contact, c.phone_masked AS phone, {_YUAN.format(x='owed.overdue')} AS overdue, "
        f"  {_YUAN.format(x='owed.outstanding')} AS outstanding, owed.oldest_due_on, owed.d30, owed.d90, owed.d180, "
        "  owed.d365, owed.over365 "
        "FROM owed JOIN units u ON u.id = owed.unit_id JOIN buildings bd ON bd.org_id = u.org_id AND bd.id = u.building_id "
        "LEFT JOIN LATERAL (SELECT r.name, r.phone_masked FROM occupancies oc "
        "  JOIN residents r ON r.org_id = oc.org_id AND r.id = oc.resident_id "
        "  WHERE oc.org_id = u.org_id AND oc.unit_id = u.id AND oc.moved_out_on IS NULL AND r.erased_at IS NULL "
        "  ORDER BY oc.primary_contact DESC, oc.role = 'owner' DESC, oc.created_at LIMIT 1) c ON true "
        "WHERE owed.overdue > 0 ORDER BY bd.name, u.entrance, u.number, u.id"),
    "arrears_bills": (
        f"SELECT {_BILL}, {_LATE} AS days FROM bills b {_PLACE} {_ITEM} "
        "WHERE b.org_id = :o AND b.project_id = :p AND b.state = 'open' AND b.due_on < :as_of "
        "ORDER BY bd.name, u.entrance, u.number, b.due_on, i.code, b.id"),
    "bills": (
        f"SELECT {_BILL}, b.state, b.note FROM bills b {_PLACE} {_ITEM} "
        "WHERE b.org_id = :o AND b.project_id = :p AND b.period = :period ORDER BY bd.name, u.entrance, u.number, i.code, b.id"),
    # Beijing days, both ends included.
    "payments": (
        f"SELECT x.receipt_no, (x.paid_at AT TIME ZONE 'Asia/Shanghai')::date AS paid_on, {_FLAT}, x.kind, x.method, "
        f"  {_YUAN.format(x='x.amount_fen')} AS amount, {_YUAN.format(x='x.unallocated_fen')} AS credit, "
        "  x.reversed_at IS NOT NULL AS reversed, x.invoice_no, x.note "
        "FROM payments x JOIN units u ON u.org_id = x.org_id AND u.id = x.unit_id "
        "JOIN buildings bd ON bd.org_id = u.org_id AND bd.id = u.building_id "
        "WHERE x.org_id = :o AND x.project_id = :p AND x.paid_at >= (CAST(:from_day AS date)::timestamp AT TIME ZONE 'Asia/Shanghai') "
        "  AND x.paid_at < ((CAST(:to_day AS date) + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') "
        "ORDER BY x.paid_at, x.receipt_no, x.id"),
}
KINDS = tuple(_STATEMENTS)


async def export_rows(conn: AsyncConnection, kind: str, params: dict[str, Any],
                      chunk: int = CHUNK) -> AsyncIterator[Sequence[RowMapping]]:
    """The sheet's rows in chunks of `chunk`, through a server-side cursor in `conn`'s transaction."""
    result = await conn.stream(text(_STATEMENTS[kind]), params)
    async for part in result.mappings().partitions(chunk):
        yield part
