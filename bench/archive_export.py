"""Exporting a project of 100,000 residents (docs/archive.md §6.2): the residents, their flats and
stays are loaded by COPY into a database of their own (fc_bench_archive_export, reused while it
holds that many), then a child process runs the app in-process and asks it for
`/export/archive/residents.xlsx` as the company's admin, the way a browser would — server-side
cursor, constant-memory writer, temporary file, the file sent. Measured: the request's wall time,
the file's size and rows, and the child's peak RSS (VmHWM) beside its RSS just before the request
(the app and its imports), so the export's own share shows.

    .venv/bin/python bench/archive_export.py [--residents 100000] [--fresh]   # → bench/results/archive_export.json
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.archive_workbook import peak_rss_mb  # noqa: E402
from bench._database import PASSWORD, add_project, create_database, dsn  # noqa: E402
from bench.case_data import database_url  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "archive_export.json"
DB = "fc_bench_archive_export"
SLUG = "bench-archive"
PER_FLAT = 2
FLATS_PER_BUILDING = 2_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


async def _filled(residents: int) -> bool:
    try:
        conn = await asyncpg.connect(dsn(database_url(DB)))
    except asyncpg.InvalidCatalogNameError:
        return False
    try:
        return bool(await conn.fetchval("SELECT to_regclass('occupancies') IS NOT NULL")
                    and await conn.fetchval("SELECT count(*) FROM occupancies") == residents)
    finally:
        await conn.close()


async def ensure(residents: int, fresh: bool) -> None:
    if not fresh and await _filled(residents):
        print(f"reusing {DB}: {residents:,} residents", file=sys.stderr)
        return
    from domain.directory.provisioning import ProjectInput

    url, org_id, _ = await create_database(DB, slug=SLUG, name="基准物业")
    project = await add_project(url, org_id, ProjectInput("BIG", "十万户花园", "residential"))
    started = time.perf_counter()
    conn = await asyncpg.connect(dsn(url))
    try:
        await _load(conn, org_id, project, residents)
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    print(f"loaded {residents:,} residents in {time.perf_counter() - started:.0f} s", file=sys.stderr)


async def _load(conn: asyncpg.Connection, org: uuid.UUID, project: uuid.UUID, n: int) -> None:
    flats = (n + PER_FLAT - 1) // PER_FLAT
    buildings = [uuid.uuid4() for _ in range((flats + FLATS_PER_BUILDING - 1) // FLATS_PER_BUILDING)]
    await conn.copy_records_to_table("buildings", columns=["org_id", "project_id", "id", "name", "floors"],
                                     records=[(org, project, b, f"{i + 1}号楼", 33) for i, b in enumerate(buildings)])
    units = [uuid.uuid4() for _ in range(flats)]
    await conn.copy_records_to_table("units", columns=["org_id", "project_id", "id", "building_id", "entrance", "number", "floor",
                                                       "area_m2"],
                                     records=[(org, project, u, buildings[i // FLATS_PER_BUILDING], str(1 + i // 500 % 4),
                                               f"{1 + i // 20 % 25}{1 + i % 20:02d}", 1 + i // 20 % 25, 89.5)
                                              for i, u in enumerate(units)])
    people, stays = [], []
    for i in range(n):
        rid, phone = uuid.uuid4(), f"13{i % 10}{i:08d}"
        has_id = i % 3 == 0
        number = f"110105{1950 + i % 50}{1 + i % 12:02d}{1 + i % 28:02d}{i % 10000:04d}"
        people.append((org, project, rid, SURNAMES[i % 20] + "先生女士"[i % 4] + str(i), "person", b"sealed", uuid.uuid4().bytes,
                       phone[:3] + "****" + phone[-4:], "id_card" if has_id else None, b"sealed" if has_id else None,
                       uuid.uuid4().bytes if has_id else None, number[:4] + "*" * 10 + number[-4:] if has_id else None))
        stays.append((org, project, units[i // PER_FLAT], rid, ("owner", "tenant", "family")[i % 3], i % PER_FLAT == 0,
                      date(2015, 1, 1) + timedelta(days=i % 3000)))
    # Fresh statistics before each table that refers to the last: a foreign-key check planned on
    # an empty table's figures scans it whole, once per row copied.
    await conn.execute("ANALYZE buildings, units")
    await conn.copy_records_to_table("residents", columns=[
        "org_id", "project_id", "id", "name", "kind", "phone_enc", "phone_hash", "phone_masked", "id_kind", "id_number_enc",
        "id_number_hash", "id_number_masked"], records=people)
    await conn.execute("ANALYZE residents")
    await conn.copy_records_to_table("occupancies", columns=[
        "org_id", "project_id", "unit_id", "resident_id", "role", "primary_contact", "moved_in_on"], records=stays)


async def _export() -> dict[str, object]:
    """In the child: the app in-process, one sign-in, one export."""
    import httpx
    import openpyxl

    from api.app import create_app
    from api.graphql.types.node import to_global_id
    from tenants.db import DatabaseUrls
    from tenants.platform import Platform
    from tenants.settings import APP_ROLE, Settings

    owner = database_url(DB).set(drivername="postgresql+asyncpg")
    settings = Settings(DATABASE_URL=owner.render_as_string(hide_password=False), FIRSTCALL_MODE="development")
    platform = Platform.create(settings, DatabaseUrls(owner=owner, app=owner.set(username=APP_ROLE, password="firstcall_app")))
    conn = await asyncpg.connect(dsn(database_url(DB)))
    project = await conn.fetchval("SELECT id FROM projects WHERE code = 'BIG'")
    await conn.close()
    app = create_app(platform, None, instrument=False)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=600) as client:
            login = await client.post("/graphql", json={"query": "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
                                                        "variables": {"i": {"organization": SLUG, "username": "admin",
                                                                            "password": PASSWORD}}})
            token = login.json()["data"]["login"]["accessToken"]
            # The sign-in's password hash is memory-hard (tens of MB): start the high-water mark afresh.
            Path("/proc/self/clear_refs").write_text("5")
            before = rss_mb()
            started = time.perf_counter()
            r = await client.get("/export/archive/residents.xlsx", params={"project": to_global_id("Project", project)},
                                 headers={"authorization": f"Bearer {token}"})
            seconds = time.perf_counter() - started
            peak = peak_rss_mb()
    finally:
        await platform.close()
    assert r.status_code == 200, r.text
    book = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
    rows = sum(1 for _ in book["住户"].iter_rows(values_only=True)) - 1
    book.close()
    return {"rows": rows, "file_mb": round(len(r.content) / 1024 / 1024, 1), "seconds": round(seconds, 1),
            "rss_before_mb": before, "peak_rss_mb": peak}


def rss_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024)
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--fresh", action="store_true", help="load the data again even if the database holds it")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(_export())))
        return
    asyncio.run(ensure(args.residents, args.fresh))
    # A child of its own, so that the figures are the export's and not the loader's.
    out = subprocess.run([sys.executable, __file__, "--child"], check=True, capture_output=True, text=True)
    result = {"residents": args.residents, **json.loads(out.stdout.strip().splitlines()[-1])}
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
