"""欠费 list at scale (docs/resident-services.md §6.5, §12): one project of 5,000 flats, each with
an owner as primary contact, billed for the 12 months to last month, a third of the bills unpaid
(loaded by COPY into fc_bench_arrears, reused while it holds that many flats). Then 1,000
`arrears` pages of 50 through /graphql on a real server (`firstcall serve`) with a CS agent's
token — by amount, by age and by flat in turn, following the cursor up to five pages deep —
p50 / p95 (target p95 < 100 ms); and, as the floor of the same server at that moment, 200 calls
of the smallest fee query (`chargeItems`, one row).

    .venv/bin/python bench/fee_arrears.py [--flats 5000] [--calls 1000] [--database fc_bench_arrears]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy import URL

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.graphql.types.node import to_global_id  # noqa: E402
from bench._database import PASSWORD, dsn, ensure_loaded  # noqa: E402
from bench._servers import bearer, serve  # noqa: E402
from tenants.auth.passwords import hash_password  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "fee_arrears.json"
DB = "fc_bench_arrears"
SLUG = "bench-arrears"
PORT = 8747
KEYS = {"SECRET_KEY": "bench-arrears-secret-key-0123456789abcdef", "DATA_ENCRYPTION_KEY": "bench-arrears-data-key-0123456789abcdef",
        "LOOKUP_HASH_KEY": "bench-arrears-hash-key-0123456789abcdef"}
ARREARS = """query($p: ID!, $order: ArrearsOrder!, $after: String) { arrears(projectId: $p, orderBy: $order, first: 50, after: $after)
  { totals { flats overdue ageing { d30 d90 d180 d365 over365 } }
    edges { cursor node { label contactName contactPhoneMasked overdue outstanding oldestDueOn
      ageing { d30 d90 d180 d365 over365 } } } pageInfo { hasNextPage endCursor } } }"""

BASELINE = "query($p: ID!) { chargeItems(projectId: $p) { code } }"


def months_back(n: int) -> list[date]:
    today = date.today()
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(date(y, m, 1))
    return out


async def ensure(flats: int, database: str) -> URL:
    return await ensure_loaded(database, "flats", flats, slug=SLUG, name="欠费基准物业",
                               load=lambda conn, org: _load(conn, org, flats))


async def _load(conn: asyncpg.Connection, org: uuid.UUID, flats: int) -> None:
    rng = random.Random(20261207)
    project, item, agent = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await conn.execute("INSERT INTO projects (org_id, id, code, name, property_type, households) "
                       "VALUES ($1, $2, 'QF', '欠费基准项目', 'residential', $3)", org, project, flats)
    await conn.execute("INSERT INTO users (org_id, id, username, display_name, password_hash) VALUES ($1, $2, 'agent', '客服', $3)",
                       org, agent, hash_password(PASSWORD))
    await conn.execute("INSERT INTO role_assignments (org_id, user_id, role, project_id) VALUES ($1, $2, 'cs_agent', $3)",
                       org, agent, project)
    await conn.execute("INSERT INTO charge_items (org_id, project_id, id, code, name, kind, basis, starts_on, due_day) "
                       "VALUES ($1, $2, $3, 'WYF', '物业费', 'property', 'area', '2020-01-01', 15)", org, project, item)
    buildings = [uuid.uuid4() for _ in range((flats + 143) // 144)]
    await conn.copy_records_to_table("buildings", columns=["org_id", "project_id", "id", "name", "floors"], records=[
        (org, project, b, f"{i + 1}号楼", 18) for i, b in enumerate(buildings)])
    units = [(uuid.uuid4(), round(rng.uniform(50, 160), 2)) for _ in range(flats)]
    await conn.copy_records_to_table(
        "units", columns=["org_id", "project_id", "id", "building_id", "number", "floor", "area_m2"],
        records=[(org, project, u, buildings[i // 144], f"{(i % 144) // 8 + 1}{i % 8 + 1:02d}", (i % 144) // 8 + 1, a)
                 for i, (u, a) in enumerate(units)])
    residents = [uuid.uuid4() for _ in units]
    await conn.copy_records_to_table("residents", columns=["org_id", "project_id", "id", "name", "phone_masked"], records=[
        (org, project, r, f"业主{i:05d}", f"138****{i % 10000:04d}") for i, r in enumerate(residents)])
    await conn.copy_records_to_table(
        "occupancies", columns=["org_id", "project_id", "unit_id", "resident_id", "role", "primary_contact"],
        records=[(org, project, u, r, "owner", True) for (u, _), r in zip(units, residents, strict=True)])
    bills = []
    for period in months_back(12):
        end = (date(period.year + (period.month == 12), period.month % 12 + 1, 1)).toordinal() - 1
        for u, area in units:
            amount = round(area * 235)  # 2.35 元/m²
            unpaid = rng.random() < 1 / 3
            bills.append((org, project, u, item, period, date.fromordinal(end), period.replace(day=15), amount,
                          0 if unpaid else amount, "open" if unpaid else "paid", "run"))
    await conn.copy_records_to_table(
        "bills", columns=["org_id", "project_id", "unit_id", "charge_item_id", "period", "period_end", "due_on", "amount_fen",
                          "paid_fen", "state", "source"], records=bills)
    print(f"loaded {flats:,} flats, {len(bills):,} bills")


def summary(timings: list[float]) -> dict:
    qs = statistics.quantiles(timings, n=100)
    return {"calls": len(timings), "p50_ms": round(statistics.median(timings), 1), "p95_ms": round(qs[94], 1),
            "max_ms": round(max(timings), 1)}


def measure(url: URL, calls: int) -> dict:
    with serve(dsn(url), PORT, KEYS) as base:
        headers = bearer(base, SLUG, "agent", PASSWORD)
        project = asyncio.run(_project(url))
        timings: dict[str, list[float]] = {"AMOUNT": [], "AGE": [], "UNIT": []}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            def page(order: str, after: str | None) -> tuple[float, dict]:
                started = time.perf_counter()
                r = client.post("/graphql", json={"query": ARREARS, "variables": {"p": project, "order": order, "after": after}})
                elapsed = (time.perf_counter() - started) * 1000
                body = r.json()
                assert "errors" not in body, r.text[:300]
                return elapsed, body["data"]["arrears"]

            for _ in range(20):  # warm-up
                page("AMOUNT", None)
            after, depth, flats = None, 0, 0
            for i in range(calls):
                order = ("AMOUNT", "AGE", "UNIT")[(i // 5) % 3]
                elapsed, answer = page(order, after)
                timings[order].append(elapsed)
                flats = answer["totals"]["flats"]
                depth += 1
                after = answer["pageInfo"]["endCursor"] if depth < 5 and answer["pageInfo"]["hasNextPage"] else None
                depth = depth if after else 0
            # The same server's floor on this machine now: the smallest fee query, one row back.
            baseline = []
            for _ in range(200):
                started = time.perf_counter()
                r = client.post("/graphql", json={"query": BASELINE, "variables": {"p": project}})
                baseline.append((time.perf_counter() - started) * 1000)
                assert "errors" not in r.json(), r.text[:300]
        every = [t for ts in timings.values() for t in ts]
        return {"flats_in_arrears": flats, "all": summary(every), **{k.lower(): summary(v) for k, v in timings.items()},
                "baseline_charge_items": summary(baseline)}


async def _project(url: URL) -> str:
    conn = await asyncpg.connect(dsn(url))
    try:
        return to_global_id("Project", await conn.fetchval("SELECT id FROM projects WHERE code = 'QF'"))
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--flats", type=int, default=5_000)
    parser.add_argument("--calls", type=int, default=1_000)
    parser.add_argument("--database", default=DB)
    args = parser.parse_args()
    url = asyncio.run(ensure(args.flats, args.database))
    figures = measure(url, args.calls)
    print(json.dumps(figures, indent=2))
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"flats": args.flats, **figures}, indent=2))


if __name__ == "__main__":
    main()
