"""Bill generation in PostgreSQL (docs/resident-services.md §6.2): one statement prices every
flat (or parking space) of the chosen items for every month, counts what it must skip and why,
and inserts the bills on their natural key — a month already billed inserts nothing. No per-row
Python: 100,000 flats are one round trip."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import text

from domain.fees.model import BillRun
from domain.unit_of_work import UnitOfWork

# The rate of a month is the latest one in effect on its first day; an override counts while its
# `until` is empty or not before the month. `days` are the month's days the item applies (a
# partial first or last month is prorated); the amount is rounded once, half up (§4). The skipped
# list (domain/fees/skipped_reads.py) reads the same classification, so what a run counted and
# what staff are shown to fix cannot disagree.
CLASSIFIED = """
WITH months AS (
  SELECT m::date AS period, (m + interval '1 month - 1 day')::date AS period_end,
         extract(day FROM m + interval '1 month - 1 day')::int AS dim
  FROM generate_series(CAST(:from_month AS date), CAST(:to_month AS date), interval '1 month') m),
items AS (
  SELECT i.org_id, i.project_id, i.id AS item_id, i.basis, i.unit_uses, i.space_tenures, i.building_ids,
         i.vacant_percent, i.due_day, m.period, m.period_end, m.dim,
         least(m.period_end, coalesce(i.ends_on, m.period_end)) - greatest(m.period, i.starts_on) + 1 AS days,
         (SELECT r.rate_1e4 FROM charge_rates r WHERE r.org_id = i.org_id AND r.project_id = i.project_id
            AND r.charge_item_id = i.id AND r.effective_from <= m.period ORDER BY r.effective_from DESC LIMIT 1) AS item_rate
  FROM charge_items i CROSS JOIN months m
  WHERE i.org_id = :o AND i.project_id = :p AND i.id = ANY(CAST(:items AS uuid[])) AND i.active AND i.basis <> 'one_off'
    AND i.starts_on <= m.period_end AND (i.ends_on IS NULL OR i.ends_on >= m.period)),
subjects AS (
  SELECT it.*, u.id AS unit_id, NULL::uuid AS space_id, u.area_m2, u.vacant
  FROM items it JOIN units u ON u.org_id = it.org_id AND u.project_id = it.project_id AND u.use = ANY(it.unit_uses)
   AND (it.building_ids IS NULL OR u.building_id = ANY(it.building_ids))
  WHERE it.basis IN ('area', 'fixed')
  UNION ALL
  SELECT it.*, s.unit_id, s.id, NULL, false
  FROM items it JOIN parking_spaces s ON s.org_id = it.org_id AND s.project_id = it.project_id
   AND s.tenure = ANY(it.space_tenures)
  WHERE it.basis = 'space'),
priced AS (
  SELECT s.*, coalesce(o.rate_1e4, s.item_rate) AS rate, coalesce(o.excluded, false) AS excluded,
         CASE WHEN s.vacant THEN s.vacant_percent ELSE 100 END AS percent
  FROM subjects s LEFT JOIN charge_overrides o ON o.org_id = s.org_id AND o.project_id = s.project_id
   AND o.charge_item_id = s.item_id AND o.unit_id = s.unit_id AND (o.until IS NULL OR o.until >= s.period)),
classified AS (
  SELECT p.*,
         CASE WHEN p.unit_id IS NULL THEN 'NO_UNIT_FOR_SPACE' WHEN p.rate IS NULL THEN 'NO_RATE'
              WHEN p.basis = 'area' AND p.area_m2 IS NULL THEN 'NO_AREA' END AS reason,
         round(CASE WHEN p.basis = 'area' THEN p.area_m2 ELSE 1::numeric END * p.rate * p.percent * p.days
               / (10000 * p.dim)::numeric)::bigint AS amount
  FROM priced p WHERE NOT p.excluded)"""
_PRICED = CLASSIFIED + """,
inserted AS (
  INSERT INTO bills (org_id, project_id, unit_id, charge_item_id, space_id, period, period_end, due_on, amount_fen,
                     source, run_id, basis_snapshot)
  SELECT c.org_id, c.project_id, c.unit_id, c.item_id, c.space_id, c.period, c.period_end, c.period + (c.due_day - 1),
         c.amount, 'run', CAST(:run AS uuid),
         jsonb_build_object('area_m2', c.area_m2, 'rate_1e4', c.rate, 'percent', c.percent, 'days', c.days, 'dim', c.dim)
  FROM classified c WHERE c.reason IS NULL AND c.amount > 0
  ON CONFLICT (org_id, project_id, unit_id, charge_item_id, period, space_key) DO NOTHING
  RETURNING amount_fen)
SELECT (SELECT count(*) FROM inserted) AS created, (SELECT coalesce(sum(amount_fen), 0) FROM inserted) AS total_fen,
       (SELECT coalesce(jsonb_object_agg(reason, n), '{}') FROM
          (SELECT reason, count(*) AS n FROM classified WHERE reason IS NOT NULL GROUP BY reason) r) AS skipped
"""
_GENERATE = text(_PRICED)

_LOCK = text("SELECT pg_try_advisory_xact_lock(hashtext('bills'), hashtext(CAST(:p AS text)))")
_TIMEOUT = "SET LOCAL statement_timeout = '120s'"
_ITEMS_OF_PROJECT = text("SELECT id FROM charge_items WHERE org_id = :o AND project_id = :p AND id = ANY(:ids)")
_INSERT_RUN = text(
    "INSERT INTO bill_runs (org_id, project_id, id, periods, charge_item_ids, dry_run, state, created, skipped, total_fen, "
    "created_by, finished_at) VALUES (:o, :p, :id, daterange(:f, :t, '[]'), :items, :dry, 'done', :created, "
    "CAST(:skipped AS jsonb), :total, :by, now())")


@dataclass(frozen=True, slots=True)
class Generated:
    created: int
    total_fen: int
    skipped: dict[str, int]


class BillingRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._org = uow.org_id

    async def lock_project(self, project_id: UUID) -> bool:
        """One run per project at a time; the lock ends with the transaction."""
        await self._uow.conn.exec_driver_sql(_TIMEOUT)
        return bool((await self._uow.conn.execute(_LOCK, {"p": str(project_id)})).scalar())

    async def items_of_project(self, project_id: UUID, ids: list[UUID]) -> set[UUID]:
        rows = await self._uow.conn.execute(_ITEMS_OF_PROJECT, {"o": self._org, "p": project_id, "ids": ids})
        return {r.id for r in rows}

    async def generate(self, run: BillRun) -> Generated:
        """Inserts the run's bills; a dry run inserts them in a savepoint and rolls that back, so its
        counts are what applying would do."""
        params: dict[str, Any] = {"o": self._org, "p": run.project_id, "from_month": run.periods[0],
                                  "to_month": run.periods[1], "items": run.charge_item_ids, "run": run.id}
        if run.dry_run:
            await self._uow.conn.exec_driver_sql("SAVEPOINT dry_run")
        row = (await self._uow.conn.execute(_GENERATE, params)).one()
        if run.dry_run:
            await self._uow.conn.exec_driver_sql("ROLLBACK TO SAVEPOINT dry_run")
        return Generated(created=row.created, total_fen=int(row.total_fen), skipped=dict(row.skipped))

    async def add_run(self, run: BillRun) -> None:
        await self._uow.conn.execute(_INSERT_RUN, {
            "o": self._org, "p": run.project_id, "id": run.id, "f": run.periods[0], "t": run.periods[1],
            "items": run.charge_item_ids, "dry": run.dry_run, "created": run.created, "skipped": json.dumps(run.skipped),
            "total": run.total_fen, "by": run.created_by})
        self._uow.track(run)
