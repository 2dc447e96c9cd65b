"""The case-list data shape of DESIGN §10: one company, 2,000 projects, 1,000,000 cases, a few
staff per project — loaded with COPY into its own database (fc_bench_cases) and reused while it
still holds that many projects and at least that many cases. A smaller trial run names a
database of its own (`--database`), so it never replaces the full one.

    .venv/bin/python bench/case_data.py [--projects 2000] [--cases 1000000] [--database fc_bench_cases] [--fresh]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import URL

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.cases.repository import case_number  # noqa: E402
from bench._database import PASSWORD, create_database, dsn, server_url  # noqa: E402
from tenants.auth.passwords import hash_password  # noqa: E402

DB = "fc_bench_cases"
SLUG = "bench-cases"
STAFF_PER_PROJECT = 5
STATES = (["closed"] * 60 + ["confirmed"] * 8 + ["resolved"] * 6 + ["in_progress"] * 6 + ["dispatched"] * 6
          + ["accepted"] * 4 + ["committed"] * 4 + ["received"] * 3 + ["cancelled"] * 2 + ["reopened"] * 1)
KINDS = ["repair"] * 55 + ["inquiry"] * 20 + ["complaint"] * 12 + ["suggestion"] * 6 + ["praise"] * 4 + ["report"] * 3
SEVERITIES = ["general"] * 85 + ["major"] * 12 + ["emergency"] * 3
CHANNELS = ["phone"] * 5 + ["wechat"] * 3 + ["app"] * 3 + ["front_desk", "walk_in", "patrol", "staff_relay", "hq_hotline", "gov_12345"]
WORDS = ("厨房水龙头漏水", "楼道灯不亮", "电梯异响", "楼上装修噪音", "车位被占", "垃圾未清运", "门禁卡失效", "窗户关不严",
         "绿化带杂草", "地下车库渗水", "空调外机滴水", "小区大门道闸故障")


def database_url(database: str = DB) -> URL:
    return server_url().set(database=database)


async def _filled(projects: int, cases: int, database: str) -> bool:
    try:
        conn = await asyncpg.connect(dsn(database_url(database)))
    except asyncpg.InvalidCatalogNameError:
        return False
    try:
        if not await conn.fetchval("SELECT to_regclass('cases') IS NOT NULL"):
            return False
        org = await conn.fetchval("SELECT org_id FROM organizations WHERE slug = $1", SLUG)
        return org is not None and (
            await conn.fetchval("SELECT count(*) FROM projects WHERE org_id = $1", org) == projects
            # At least: bench/case_intake.py registers cases of its own on top.
            and await conn.fetchval("SELECT count(*) FROM cases WHERE org_id = $1", org) >= cases)
    finally:
        await conn.close()


async def ensure(projects: int = 2000, cases: int = 1_000_000, *, database: str = DB, fresh: bool = False, log=print) -> URL:
    """The database URL (owner role) with the data in place; loads it when missing."""
    if not fresh and await _filled(projects, cases, database):
        log(f"reusing {database}: {projects:,} projects, {cases:,} cases")
        return database_url(database)
    url, org_id, _ = await create_database(database, slug=SLUG, name="基准物业")
    conn = await asyncpg.connect(dsn(url))
    try:
        started = time.time()
        await _load(conn, org_id, projects, cases, log)
        log(f"loaded in {time.time() - started:.0f} s; VACUUM ANALYZE …")
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return database_url(database)


async def _load(conn: asyncpg.Connection, org_id: uuid.UUID, n_projects: int, n_cases: int, log) -> None:
    rng = random.Random(20261122)
    password_hash = hash_password(PASSWORD)
    project_ids = [uuid.uuid4() for _ in range(n_projects)]
    codes = [f"P{i:04d}" for i in range(n_projects)]
    await conn.copy_records_to_table("projects", columns=["org_id", "id", "code", "name", "property_type", "households"], records=[
        (org_id, pid, codes[i], f"基准项目{i:04d}", "residential", 800) for i, pid in enumerate(project_ids)])
    staff: dict[uuid.UUID, list[uuid.UUID]] = {}
    users, roles = [], []
    for i, pid in enumerate(project_ids):
        staff[pid] = [uuid.uuid4() for _ in range(STAFF_PER_PROJECT)]
        for j, uid in enumerate(staff[pid]):
            users.append((org_id, uid, f"p{i:04d}.s{j}", f"师傅{i:04d}-{j}", password_hash))
            roles.append((org_id, uid, "cs_agent" if j == 0 else "technician", pid))
    await conn.copy_records_to_table("users", columns=["org_id", "id", "username", "display_name", "password_hash"], records=users)
    await conn.copy_records_to_table("role_assignments", columns=["org_id", "user_id", "role", "project_id"], records=roles)
    categories = [r["id"] for r in await conn.fetch("SELECT id FROM case_categories WHERE org_id = $1", org_id)]
    columns = ["org_id", "project_id", "id", "number", "kind", "severity", "channel", "category_id", "first_receiver_id",
               "description", "state", "received_at", "commitment_due", "assignee_id", "resolved_at", "confirmed_at"]
    now = datetime.now(UTC)
    counters: dict[tuple, int] = {}
    batch = 50_000
    for start in range(0, n_cases, batch):
        records = []
        for _ in range(min(batch, n_cases - start)):
            p = rng.randrange(n_projects)
            pid = project_ids[p]
            received = now - timedelta(seconds=rng.randrange(365 * 86400))
            day = received.date()
            counters[(p, day)] = counters.get((p, day), 0) + 1
            state = rng.choice(STATES)
            assigned = state not in ("received", "committed", "cancelled")
            done = state in ("resolved", "confirmed", "closed")
            records.append((
                org_id, pid, uuid.uuid4(), case_number(codes[p], day, counters[(p, day)]), rng.choice(KINDS),
                rng.choice(SEVERITIES), rng.choice(CHANNELS), rng.choice(categories), staff[pid][0], rng.choice(WORDS), state,
                received, received + timedelta(hours=rng.choice((2, 4, 24, 48))) if state != "received" else None,
                rng.choice(staff[pid][1:]) if assigned else None,
                received + timedelta(hours=rng.uniform(1, 40)) if done else None,
                received + timedelta(hours=rng.uniform(41, 90)) if state in ("confirmed", "closed") else None,
            ))
        await conn.copy_records_to_table("cases", columns=columns, records=records)
        log(f"  cases {start + len(records):>10,} / {n_cases:,}")
    await conn.copy_records_to_table("case_numbers", columns=["org_id", "project_id", "day", "last"], records=[
        (org_id, project_ids[p], day, last) for (p, day), last in counters.items()])


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=2000)
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--database", default=DB)
    ap.add_argument("--fresh", action="store_true")
    args = ap.parse_args()
    print(await ensure(args.projects, args.cases, database=args.database, fresh=args.fresh))


if __name__ == "__main__":
    asyncio.run(main())
