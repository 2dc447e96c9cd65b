"""A 100,000-row 住户 import, end to end (docs/archive.md §6.3, §9): a fresh database with one
company and a project whose 25,000 flats are loaded first (as a 房屋 import would have), a
workbook of 100,000 residents — four a flat, every phone and ID number valid and distinct —
written with XlsxWriter in constant-memory mode, then imported by `import_archive` in a child
process, twice: the first import creates everything, the second finds everything unchanged.
Measured per import: wall time and the child's peak RSS (VmHWM; `ru_maxrss` of the child beside
it). Target: under 60 s and 300 MB.

    .venv/bin/python bench/archive_import.py [--rows 100000] [--database fc_bench_archive]   (make bench-archive)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.archive_workbook import SURNAMES, peak_rss_mb  # noqa: E402
from bench._database import add_project, create_database, dsn  # noqa: E402
from domain.archive.values import id_check_digit  # noqa: E402
from domain.directory.provisioning import ProjectInput  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "archive_import.json"
SLUG = "bench-archive"
HEADERS = ["楼栋名称*", "单元", "房号*", "姓名*", "身份*", "类型", "手机号", "证件类型", "证件号码", "入住日期", "主联系人", "备注"]
PER_FLAT = 4


def flat(n: int) -> tuple[str, str, str]:
    """Flat n: 500 a building, 4 entrances of 125, 25 floors of 5."""
    return f"{1 + n // 500}号楼", str(1 + n // 125 % 4), f"{1 + n % 125 // 5}{1 + n % 5:02d}"


def write(path: Path, rows: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    ws = book.add_worksheet("住户")
    for col, header in enumerate(HEADERS):
        ws.write_string(0, col, header)
    for i in range(rows):
        born = date(1950, 1, 1) + timedelta(days=i // 1000 * 97)  # a day per thousand people; each ID distinct
        stem = f"110105{born:%Y%m%d}{i % 1000:03d}"
        values = [*flat(i // PER_FLAT), SURNAMES[i % 20] + "先生女士"[i % 4] + str(i), ("业主", "家属", "家属", "租户")[i % 4],
                  "个人", f"13{i % 10}{i:08d}", "居民身份证", stem + id_check_digit(stem),
                  (date(2015, 1, 1) + timedelta(days=i % 3000)).isoformat(), "是" if i % 4 == 0 else "否", "备注" * (i % 3)]
        for col, value in enumerate(values):
            ws.write_string(i + 1, col, value)
    book.close()


async def prepare(database: str, flats: int) -> tuple[str, uuid.UUID, uuid.UUID]:
    """A fresh database with the company, its project and the flats; (owner URL, org, project)."""
    url, org_id, _ = await create_database(database, slug=SLUG, name="档案基准物业")
    project_id = await add_project(url, org_id, ProjectInput("GD", "档案基准项目", "residential"))
    owner = url.set(drivername="postgresql+asyncpg")
    conn = await asyncpg.connect(dsn(owner))
    try:
        buildings = {}
        for n in range(flats):
            name = flat(n)[0]
            buildings.setdefault(name, uuid.uuid4())
        await conn.copy_records_to_table("buildings", columns=["org_id", "project_id", "id", "name", "floors"],
                                         records=[(org_id, project_id, b, name, 25) for name, b in buildings.items()])
        await conn.copy_records_to_table(
            "units", columns=["org_id", "project_id", "building_id", "entrance", "number", "floor"],
            records=[(org_id, project_id, buildings[b], e, num, int(num[:-2])) for b, e, num in map(flat, range(flats))])
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return owner.render_as_string(hide_password=False), org_id, project_id


async def imported(url: str, org_id: uuid.UUID, project_id: uuid.UUID, path: Path) -> dict[str, object]:
    from domain.archive.import_service import ImportArchive, import_archive
    from domain.unit_of_work import UnitOfWork
    from tenants.context import TenantScope
    from tenants.platform import Platform
    from tenants.settings import Settings

    platform = Platform.create(Settings(DATABASE_URL=url, FIRSTCALL_MODE="development"))
    actor = "system:bench"
    uow = UnitOfWork(platform, org_id=org_id, actor=actor, scope=TenantScope(org_id, frozenset({project_id}), actor))
    started = time.perf_counter()
    try:
        result = await import_archive(ImportArchive(project_id, str(path)), uow, cipher=platform.cipher)
    finally:
        await platform.close()
    assert result.ok, result.problems[:5]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # CPU seconds of this process (reading, sealing, the driver): on a shared machine wall time is
    # mostly waiting for a core; the database's own time is in neither figure.
    return {"seconds": round(time.perf_counter() - started, 1), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "rows": result.rows_total,
            "counts": result.counts["residents"], "peak_rss_mb": peak_rss_mb()}


def child(path: Path, url: str, org: str, project: str) -> dict[str, object]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([sys.executable, __file__, "--child", str(path), "--url", url, "--org", org, "--project", project],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"the import's child failed:\n{out.stderr[-3000:]}")
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    result["ru_maxrss_mb"] = round(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", default="fc_bench_archive")
    parser.add_argument("--child", type=Path)
    parser.add_argument("--url")
    parser.add_argument("--org")
    parser.add_argument("--project")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(imported(args.url, uuid.UUID(args.org), uuid.UUID(args.project), args.child))))
        return
    url, org_id, project_id = asyncio.run(prepare(args.database, -(-args.rows // PER_FLAT)))
    result: dict[str, object] = {"rows": args.rows}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "住户.xlsx"
        started = time.perf_counter()
        write(path, args.rows)
        result["write_seconds"] = round(time.perf_counter() - started, 1)
        result["file_mb"] = round(path.stat().st_size / 1024 / 1024, 1)
        result["first_import"] = child(path, url, str(org_id), str(project_id))
        result["re_import"] = child(path, url, str(org_id), str(project_id))
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
