"""出账 at scale (docs/resident-services.md §6.2, §12): one project of 100,000 flats (areas from 40
to 180 m², one in twenty vacant, one in a hundred without an area) loaded by COPY into a database
of its own (fc_bench_fees, reused while it holds that many flats). Then, through the service
(domain/fees/billing.py) as the application role under row-level security, each its own run:

- `generateBills` dry run for a month (the statement, rolled back);
- `generateBills` for that month (target < 30 s);
- the same month again (inserts nothing);
- the collection rate's bucket of that month recomputed (docs/resident-services.md §6.7: what the
  `kpi_fees` consumer runs after each payment or bill run touching the month), three times.

The bills of the month are deleted first, so a rerun of the bench measures the same work.

    .venv/bin/python bench/fee_bills.py [--flats 100000] [--database fc_bench_fees]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
import uuid
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import asyncpg
from sqlalchemy import URL
from sqlalchemy.ext.asyncio import create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._database import dsn, ensure_loaded  # noqa: E402
from domain.fees import billing, service  # noqa: E402
from domain.fees.commands import CreateChargeItem, GenerateBills, SetChargeRate  # noqa: E402
from domain.fees.kinds import ChargeBasis, ChargeKind  # noqa: E402
from domain.kpi.fee_rollups import refresh_bucket  # noqa: E402
from domain.unit_of_work import UnitOfWork  # noqa: E402
from tenants.context import TenantScope  # noqa: E402
from tenants.db import tenant_transaction  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "fee_bills.json"
DB = "fc_bench_fees"
SLUG = "bench-fees"
MONTH = date(2026, 11, 1)
FLATS_PER_BUILDING = 144


async def ensure(flats: int, database: str) -> URL:
    return await ensure_loaded(database, "flats", flats, slug=SLUG, name="收费基准物业",
                               load=lambda conn, org: _load(conn, org, flats))


async def _load(conn: asyncpg.Connection, org: uuid.UUID, flats: int) -> None:
    rng = random.Random(20261207)
    project = uuid.uuid4()
    await conn.execute("INSERT INTO projects (org_id, id, code, name, property_type, households) "
                       "VALUES ($1, $2, 'FEE', '收费基准项目', 'residential', $3)", org, project, flats)
    buildings = [uuid.uuid4() for _ in range((flats + FLATS_PER_BUILDING - 1) // FLATS_PER_BUILDING)]
    await conn.copy_records_to_table("buildings", columns=["org_id", "project_id", "id", "name", "floors"], records=[
        (org, project, b, f"{i + 1}号楼", 18) for i, b in enumerate(buildings)])
    await conn.copy_records_to_table(
        "units", columns=["org_id", "project_id", "id", "building_id", "number", "floor", "area_m2", "vacant"],
        records=[(org, project, uuid.uuid4(), buildings[i // FLATS_PER_BUILDING], f"{(i % 144) // 8 + 1}{i % 8 + 1:02d}",
                  (i % 144) // 8 + 1, None if i % 100 == 99 else round(rng.uniform(40, 180), 2), i % 20 == 0)
                 for i in range(flats)])


class Transactions:
    """What the unit of work needs: tenant transactions on the application role's engine."""

    def __init__(self, engine) -> None:
        self.engine = engine

    @asynccontextmanager
    async def transaction(self, scope: TenantScope | None):
        async with tenant_transaction(self.engine, scope) as conn:
            yield conn


async def measure(url: URL) -> dict:
    owner = await asyncpg.connect(dsn(url))
    org = await owner.fetchval("SELECT org_id FROM organizations WHERE slug = $1", SLUG)
    project = await owner.fetchval("SELECT id FROM projects WHERE org_id = $1", org)
    item = await owner.fetchval("SELECT id FROM charge_items WHERE org_id = $1 AND code = 'WYF'", org)
    await owner.execute("DELETE FROM bills WHERE org_id = $1 AND period = $2", org, MONTH)
    await owner.close()
    app = url.set(drivername="postgresql+asyncpg", username="firstcall_app", password="firstcall_app")
    engine = create_async_engine(app, isolation_level="AUTOCOMMIT", pool_size=2)
    tx = Transactions(engine)
    scope = TenantScope(org_id=org, projects=None, actor="system:bench")

    def uow() -> UnitOfWork:
        return UnitOfWork(tx, org_id=org, actor="system:bench", scope=scope)  # type: ignore[arg-type]

    try:
        if item is None:
            item = await service.create_charge_item(CreateChargeItem(
                project_id=project, code="WYF", name="物业费", kind=ChargeKind.PROPERTY, basis=ChargeBasis.AREA,
                starts_on=date(2026, 1, 1), vacant_percent=50, due_day=15), uow())
            await service.set_charge_rate(SetChargeRate(charge_item_id=item, effective_from=date(2026, 1, 1), rate_1e4=23500),
                                          uow())
        figures = {}
        for name, dry in (("dry_run", True), ("run", False), ("rerun", False)):
            started = time.perf_counter()
            run_id = await billing.generate_bills(GenerateBills(project_id=project, from_month=MONTH, to_month=MONTH,
                                                                charge_item_ids=(item,), dry_run=dry), uow())
            elapsed = time.perf_counter() - started
            conn = await asyncpg.connect(dsn(url))
            row = await conn.fetchrow("SELECT created, total_fen, skipped::text FROM bill_runs WHERE id = $1", run_id)
            await conn.close()
            figures[name] = {"seconds": round(elapsed, 2), "created": row["created"], "total_fen": row["total_fen"],
                             "skipped": json.loads(row["skipped"])}
            print(name, figures[name])
        buckets = []
        for _ in range(3):
            started = time.perf_counter()
            async with tx.transaction(scope) as conn:
                await refresh_bucket(conn, scope.org_id, project, MONTH)
            buckets.append(round(time.perf_counter() - started, 3))
        figures["collection_bucket_seconds"] = buckets
        print("collection bucket", buckets)
        return figures
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--flats", type=int, default=100_000)
    parser.add_argument("--database", default=DB)
    args = parser.parse_args()
    url = asyncio.run(ensure(args.flats, args.database))
    figures = asyncio.run(measure(url))
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"flats": args.flats, **figures}, indent=2))
    assert figures["run"]["seconds"] < 30, "target: 100,000 bills in under 30 s"
    assert figures["rerun"]["created"] == 0


if __name__ == "__main__":
    main()
