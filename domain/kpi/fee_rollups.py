"""收缴率 The collection rate's rollup (docs/resident-services.md §6.7): per project and billing
period — the bills' cohort, as a case's is the month it was received — what was due, what was
collected (whenever paid, and by the month's close), bills and flats billed and paid. One SQL text
serves the `kpi_fees` consumer (one bucket, after a change to one of its bills) and the rebuild
(every bucket of the company): rebuilt and maintained numbers are equal by construction.

No deltas: a bucket is recomputed whole, so a redelivered or reordered event cannot skew it. A
burst of payments into one period would recompute a 100,000-bill bucket once per payment, so the
consumer skips a bucket recomputed by a transaction that started after the event was committed —
that recomputation has counted it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.sla.calendar import add_months

FEE_COUNTS = ("due_fen", "waived_fen", "collected_fen", "collected_by_close_fen", "bills", "bills_paid", "units_billed", "units_paid")

# Every bill of the bucket, cancelled ones too (counted in nothing): a period whose bills were all
# cancelled keeps a row of zeros instead of its last figures. A reversal's negative allocations
# belong to the reversed payment, so they leave the month-end figure as they leave the total.
_SQL = """
WITH b AS (
  SELECT b.org_id, b.project_id, b.period, b.unit_id, b.state <> 'cancelled' AS live,
         b.amount_fen - b.waived_fen AS due, b.waived_fen AS waived, b.amount_fen - b.waived_fen - b.paid_fen AS outstanding,
         coalesce(a.collected, 0) AS collected, coalesce(a.by_close, 0) AS by_close
  FROM bills b
  LEFT JOIN LATERAL (
    SELECT sum(pa.amount_fen) AS collected,
           sum(pa.amount_fen) FILTER (WHERE p.paid_at < ((b.period + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai'))
             AS by_close
    FROM payment_allocations pa JOIN payments p ON p.org_id = pa.org_id AND p.id = pa.payment_id
    WHERE pa.org_id = b.org_id AND pa.bill_id = b.id) a ON true
  WHERE {where}
), u AS (
  SELECT org_id, project_id, period, unit_id,
         coalesce(sum(due) FILTER (WHERE live), 0) AS due, coalesce(sum(waived) FILTER (WHERE live), 0) AS waived,
         coalesce(sum(collected) FILTER (WHERE live), 0) AS collected,
         coalesce(sum(by_close) FILTER (WHERE live), 0) AS by_close, count(*) FILTER (WHERE live) AS bills,
         count(*) FILTER (WHERE live AND outstanding = 0) AS bills_paid,
         coalesce(bool_and(outstanding = 0) FILTER (WHERE live), false) AS paid
  FROM b GROUP BY org_id, project_id, period, unit_id
)
INSERT INTO kpi_fee_month AS k (org_id, project_id, month, due_fen, waived_fen, collected_fen, collected_by_close_fen, bills, bills_paid,
                                units_billed, units_paid, computed_at, updated_at)
SELECT org_id, project_id, period, sum(due), sum(waived), sum(collected), sum(by_close), sum(bills), sum(bills_paid),
       count(*) FILTER (WHERE bills > 0), count(*) FILTER (WHERE bills > 0 AND paid), now(), now()
FROM u GROUP BY org_id, project_id, period
ON CONFLICT (org_id, project_id, month) DO UPDATE SET
  due_fen = EXCLUDED.due_fen, waived_fen = EXCLUDED.waived_fen, collected_fen = EXCLUDED.collected_fen,
  collected_by_close_fen = EXCLUDED.collected_by_close_fen,
  bills = EXCLUDED.bills, bills_paid = EXCLUDED.bills_paid, units_billed = EXCLUDED.units_billed,
  units_paid = EXCLUDED.units_paid, computed_at = EXCLUDED.computed_at,
  -- The evaluation sweep re-scores a month whose rollups changed: only a change moves this.
  updated_at = CASE WHEN (k.due_fen, k.waived_fen, k.collected_fen, k.collected_by_close_fen, k.bills, k.bills_paid, k.units_billed,
                          k.units_paid)
                         IS DISTINCT FROM (EXCLUDED.due_fen, EXCLUDED.waived_fen, EXCLUDED.collected_fen, EXCLUDED.collected_by_close_fen,
                                           EXCLUDED.bills, EXCLUDED.bills_paid, EXCLUDED.units_billed, EXCLUDED.units_paid)
                    THEN now() ELSE k.updated_at END
"""
FEE_BUCKET = text(_SQL.format(where="b.org_id = :o AND b.project_id = :p AND b.period = :m"))
# One company's every bucket.
REBUILD_FEES = text(_SQL.format(where="b.org_id = :o"))

_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
_COMPUTED = text("SELECT computed_at FROM kpi_fee_month WHERE org_id = :o AND project_id = :p AND month = :m")
_PUBLISHED = text("SELECT published_at FROM outbox WHERE org_id = :o AND id = :e")
# The periods an event touched: its payment's allocations, its bill, and for a run the periods of
# allocations made since (the credits consumer pays older bills with prepaid credit).
_PAYMENT_PERIODS = text(
    "SELECT DISTINCT b.period FROM payment_allocations pa JOIN bills b ON b.org_id = pa.org_id AND b.id = pa.bill_id "
    "WHERE pa.org_id = :o AND pa.payment_id = :pay")
_BILL_PERIOD = text("SELECT period FROM bills WHERE org_id = :o AND id = :b")
_CREDITED_PERIODS = text(
    "SELECT DISTINCT b.period FROM payment_allocations pa JOIN bills b ON b.org_id = pa.org_id AND b.id = pa.bill_id "
    "WHERE pa.org_id = :o AND pa.project_id = :p AND pa.created_at >= :since")


def _months(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


async def refresh_bucket(conn: AsyncConnection, org_id: UUID, project_id: UUID, month: date,
                         committed_by: datetime | None = None) -> bool:
    """Recomputes one (project, period) bucket, unless a recomputation that started after
    `committed_by` (a time the change had certainly committed by) already did. True if it ran."""
    # One recomputation of a bucket at a time, so the last one to commit has seen every change.
    await conn.execute(_LOCK, {"k": f"kpi_fees:{project_id}:{month}"})
    if committed_by is not None:
        computed = (await conn.execute(_COMPUTED, {"o": org_id, "p": project_id, "m": month})).scalar()
        if computed is not None and computed > committed_by:
            return False
    await conn.execute(FEE_BUCKET, {"o": org_id, "p": project_id, "m": month})
    return True


async def touched_periods(conn: AsyncConnection, event: dict[str, Any]) -> set[date]:
    payload = event.get("payload") or {}
    org_id = UUID(event["org_id"])
    periods: set[date] = set()
    if event["topic"] == "bills.generated" and payload.get("periods"):
        first, last = (date.fromisoformat(p) for p in (payload["periods"][0], payload["periods"][-1]))
        periods.update(_months(first, last))
        since = datetime.fromisoformat(event["created_at"]) if event.get("created_at") else None
        if since is not None:
            periods.update(r.period for r in await conn.execute(_CREDITED_PERIODS, {"o": org_id, "p": UUID(event["project_id"]),
                                                                                    "since": since}))
    if payload.get("period"):
        periods.add(date.fromisoformat(payload["period"]))
    if payload.get("payment_id"):
        periods.update(r.period for r in await conn.execute(_PAYMENT_PERIODS, {"o": org_id, "pay": UUID(payload["payment_id"])}))
    if payload.get("bill_id"):
        periods.update(r.period for r in await conn.execute(_BILL_PERIOD, {"o": org_id, "b": UUID(payload["bill_id"])}))
    return periods


async def refresh_for_fee_event(conn: AsyncConnection, event: dict[str, Any]) -> list[date]:
    """The buckets of the periods the event touched, in period order (two consumers taking the
    locks in one order cannot deadlock); returns those recomputed."""
    if not event.get("project_id"):
        return []
    published = (await conn.execute(_PUBLISHED, {"o": UUID(event["org_id"]), "e": UUID(event["id"])})).scalar()
    return [month for month in sorted(await touched_periods(conn, event))
            if await refresh_bucket(conn, UUID(event["org_id"]), UUID(event["project_id"]), month, published)]


async def rebuild_fees(conn: AsyncConnection, org_id: UUID) -> None:
    """Every fee bucket of the caller's company, from its bills and allocations."""
    await conn.execute(REBUILD_FEES, {"o": org_id})
