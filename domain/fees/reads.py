"""Read models of the fee core for staff (docs/resident-services.md §9.2): charge items with their
rates, bill runs, bills as pages, a flat's account, payments. Row-level security limits every
statement to the caller's company and projects. A page's cursor is the last row's id; the next
page starts after that row in the list's order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.reads import Reader, Row

_ITEM_COLUMNS = (
    "i.id, i.project_id, i.code, i.name, i.kind, i.basis, i.unit_uses, i.space_tenures, i.building_ids, i.vacant_percent, "
    "i.due_day, i.starts_on, i.ends_on, i.active, "
    "(SELECT coalesce(json_agg(json_build_object('effective_from', r.effective_from, 'rate_1e4', r.rate_1e4) "
    "  ORDER BY r.effective_from DESC), '[]') FROM charge_rates r WHERE r.org_id = i.org_id AND r.charge_item_id = i.id) AS rates")
_ITEMS = text(f"SELECT {_ITEM_COLUMNS} FROM charge_items i WHERE i.org_id = :o AND i.project_id = :p ORDER BY i.active DESC, i.code")
_ITEMS_BY_ID = text(f"SELECT {_ITEM_COLUMNS} FROM charge_items i WHERE i.org_id = :o AND i.id = ANY(:ids)")

_RUN_COLUMNS = ("id, project_id, lower(periods) AS from_month, upper(periods) - 1 AS to_month, charge_item_ids, dry_run, state, "
                "created, skipped, total_fen, created_by, started_at, finished_at")
_RUNS = text(f"SELECT {_RUN_COLUMNS} FROM bill_runs WHERE org_id = :o AND project_id = :p ORDER BY started_at DESC, id LIMIT :limit")
_RUN = text(f"SELECT {_RUN_COLUMNS} FROM bill_runs WHERE org_id = :o AND id = :id")

BILL_COLUMNS = ("b.id, b.project_id, b.unit_id, b.charge_item_id, b.space_id, b.period, b.period_end, b.due_on, b.amount_fen, "
                "b.waived_fen, b.paid_fen, b.amount_fen - b.waived_fen - b.paid_fen AS outstanding_fen, b.state, b.source, "
                "b.run_id, b.note, b.closed_at, b.created_at")
_BILLS_BY_ID = text(f"SELECT {BILL_COLUMNS} FROM bills b WHERE b.org_id = :o AND b.id = ANY(:ids)")
# Newest period first; the filtered list once, its count, the page after the cursor's row.
_BILL_PAGE = text(
    f"WITH f AS (SELECT {BILL_COLUMNS} FROM bills b "
    "  LEFT JOIN units u ON CAST(:building AS uuid) IS NOT NULL AND u.org_id = b.org_id AND u.id = b.unit_id "
    "  WHERE b.org_id = :o AND b.project_id = :p AND (CAST(:unit AS uuid) IS NULL OR b.unit_id = :unit) "
    "  AND (CAST(:building AS uuid) IS NULL OR u.building_id = :building) "
    "  AND (CAST(:period AS date) IS NULL OR b.period = :period) "
    "  AND (CAST(:item AS uuid) IS NULL OR b.charge_item_id = :item) AND (CAST(:state AS text) IS NULL OR b.state = :state)) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS uuid) IS NULL OR (f.period, f.id) < (SELECT a.period, a.id FROM f a WHERE a.id = :after) "
    "ORDER BY f.period DESC, f.id DESC LIMIT :limit")

_UNIT_ACCOUNT = text(
    "SELECT u.id AS unit_id, u.project_id, "
    "  coalesce(sum(b.amount_fen - b.waived_fen - b.paid_fen), 0)::bigint AS outstanding_fen, "
    "  coalesce(sum(b.amount_fen - b.waived_fen - b.paid_fen) FILTER (WHERE b.due_on < :today), 0)::bigint AS overdue_fen, "
    "  count(b.id) AS open_bills, min(b.due_on) FILTER (WHERE b.due_on < :today) AS oldest_due_on, "
    "  (SELECT coalesce(sum(p.unallocated_fen), 0)::bigint FROM payments p WHERE p.org_id = u.org_id AND p.project_id = u.project_id "
    "     AND p.unit_id = u.id AND p.unallocated_fen > 0 AND p.reversed_at IS NULL) AS credit_fen "
    "FROM units u LEFT JOIN bills b ON b.org_id = u.org_id AND b.project_id = u.project_id AND b.unit_id = u.id "
    "  AND b.state = 'open' WHERE u.org_id = :o AND u.id = :u GROUP BY u.org_id, u.project_id, u.id")

PAYMENT_COLUMNS = ("p.id, p.project_id, p.unit_id, p.kind, p.amount_fen, p.method, p.source, p.receipt_no, p.paid_at, "
                   "p.unallocated_fen, p.problem, p.invoice_no, p.note, p.recorded_by, p.reversed_at, p.reversed_by, "
                   "p.reverse_reason, p.external_id, p.refund_of, p.problem_cleared_at, p.problem_cleared_by, p.problem_resolution, "
                   "p.problem_note, p.problem_refund_id")
_PAYMENTS_BY_ID = text(f"SELECT {PAYMENT_COLUMNS} FROM payments p WHERE p.org_id = :o AND p.id = ANY(:ids)")
_PAYMENTS_OF_UNIT = text(f"SELECT {PAYMENT_COLUMNS} FROM payments p WHERE p.org_id = :o AND p.project_id = :p AND p.unit_id = :u "
                         "ORDER BY p.paid_at DESC, p.id LIMIT :limit")
# A payment's shares in the order the bills were paid: oldest month first.
# Newest first; the filtered list once, its count, the page after the cursor's row.
_PAYMENT_PAGE = text(
    f"WITH f AS (SELECT {PAYMENT_COLUMNS} FROM payments p WHERE p.org_id = :o AND p.project_id = :p "
    "  AND (CAST(:unit AS uuid) IS NULL OR p.unit_id = :unit) AND (CAST(:method AS text) IS NULL OR p.method = :method) "
    "  AND (CAST(:since AS timestamptz) IS NULL OR p.paid_at >= :since) "
    "  AND (CAST(:until AS timestamptz) IS NULL OR p.paid_at < :until) "
    "  AND (CAST(:source AS text) IS NULL OR p.source = :source) AND (CAST(:problem AS text) IS NULL OR p.problem = :problem)) "
    "SELECT f.*, (SELECT count(*) FROM f) AS total FROM f "
    "WHERE CAST(:after AS uuid) IS NULL OR (f.paid_at, f.id) < (SELECT a.paid_at, a.id FROM f a WHERE a.id = :after) "
    "ORDER BY f.paid_at DESC, f.id DESC LIMIT :limit")
_ALLOCATIONS_OF = text("SELECT a.payment_id, a.bill_id, sum(a.amount_fen)::bigint AS amount_fen FROM payment_allocations a "
                       "JOIN bills b ON b.org_id = a.org_id AND b.id = a.bill_id WHERE a.org_id = :o AND a.payment_id = ANY(:ids) "
                       "GROUP BY a.payment_id, a.bill_id, b.due_on, b.period ORDER BY a.payment_id, b.due_on, b.period, a.bill_id")


@dataclass(frozen=True)
class BillFilter:
    unit_id: UUID | None = None
    building_id: UUID | None = None
    period: date | None = None
    charge_item_id: UUID | None = None
    state: str | None = None


async def charge_items(db: Reader, project_id: UUID) -> list[Row[Any]]:
    return await db.all(_ITEMS, {"o": db.org_id, "p": project_id})


async def charge_items_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_ITEMS_BY_ID, {"o": db.org_id, "ids": list(ids)})


async def bill_runs(db: Reader, project_id: UUID, limit: int) -> list[Row[Any]]:
    return await db.all(_RUNS, {"o": db.org_id, "p": project_id, "limit": limit})


async def bill_run(db: Reader, run_id: UUID) -> Row[Any] | None:
    return await db.first(_RUN, {"o": db.org_id, "id": run_id})


async def bills_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_BILLS_BY_ID, {"o": db.org_id, "ids": list(ids)})


async def bill_page(db: Reader, project_id: UUID, f: BillFilter, after: UUID | None, limit: int) -> list[Row[Any]]:
    return await db.all(_BILL_PAGE, {"o": db.org_id, "p": project_id, "unit": f.unit_id, "building": f.building_id, "period": f.period,
                                     "item": f.charge_item_id, "state": f.state, "after": after, "limit": limit})


async def unit_account(db: Reader, unit_id: UUID, today: date) -> Row[Any] | None:
    return await db.first(_UNIT_ACCOUNT, {"o": db.org_id, "u": unit_id, "today": today})


async def payments_by_id(db: Reader, ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_PAYMENTS_BY_ID, {"o": db.org_id, "ids": list(ids)})


async def payments_of_unit(db: Reader, project_id: UUID, unit_id: UUID, limit: int) -> list[Row[Any]]:
    return await db.all(_PAYMENTS_OF_UNIT, {"o": db.org_id, "p": project_id, "u": unit_id, "limit": limit})


@dataclass(frozen=True)
class PaymentFilter:
    unit_id: UUID | None = None
    method: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None
    problem: str | None = None


async def payment_page(db: Reader, project_id: UUID, f: PaymentFilter, after: UUID | None, limit: int) -> list[Row[Any]]:
    return await db.all(_PAYMENT_PAGE, {"o": db.org_id, "p": project_id, "unit": f.unit_id, "method": f.method, "since": f.since,
                                        "until": f.until, "source": f.source, "problem": f.problem, "after": after,
                                        "limit": limit})


async def allocations_of(db: Reader, payment_ids: Sequence[UUID]) -> list[Row[Any]]:
    return await db.all(_ALLOCATIONS_OF, {"o": db.org_id, "ids": list(payment_ids)})


_INTEGRATION_COLUMNS = "id, project_id, name, active, last_used_at, created_at, created_by"
_INTEGRATIONS = text(f"SELECT {_INTEGRATION_COLUMNS} FROM payment_integrations WHERE org_id = :o AND project_id = :p "
                      "ORDER BY created_at, id")
_INTEGRATION = text(f"SELECT {_INTEGRATION_COLUMNS} FROM payment_integrations WHERE org_id = :o AND id = :id")


async def payment_integrations(db: Reader, project_id: UUID) -> list[Row[Any]]:
    return await db.all(_INTEGRATIONS, {"o": db.org_id, "p": project_id})


async def payment_integration(db: Reader, integration_id: UUID) -> Row[Any] | None:
    return await db.first(_INTEGRATION, {"o": db.org_id, "id": integration_id})
