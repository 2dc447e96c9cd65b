"""`firstcall import` run as a command, as an onboarding engineer runs it: a dry run writes
nothing, the import writes the rows, a file with problems exits 1 with its report workbook, a
project that is not there exits 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
from sqlalchemy import text

from tests.integration.test_archive_import_service import BUILDINGS, RESIDENTS, UNITS, xlsx

FIRSTCALL = str(Path(sys.executable).with_name("firstcall"))
ROOT = str(Path(__file__).resolve().parents[2])


def firstcall(db_urls, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DATABASE_URL=db_urls.owner.render_as_string(hide_password=False), PYTHONPATH=ROOT)
    return subprocess.run([FIRSTCALL, "import", *args], env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=180)


async def test_the_import_command(db_urls, owner_engine, org, platform, tmp_path):
    good = tmp_path / "档案.xlsx"
    good.write_bytes(xlsx({"楼栋": [BUILDINGS, ["3号楼", 18]], "房屋": [UNITS[:4], ["3号楼", "2", "1502", 15]],
                           "住户": [RESIDENTS[:6], ["3号楼", "2", "1502", "王建国", "业主", "13800138000"]]}))

    async def residents() -> list[tuple]:
        async with owner_engine.connect() as conn:
            return [tuple(r) for r in await conn.execute(text(
                "SELECT name, phone_hash FROM residents WHERE org_id = :o"), {"o": org.org_id})]

    dry = firstcall(db_urls, str(good), "--project", "P1", "--org", org.slug, "--dry-run")
    assert dry.returncode == 0, dry.stderr[-2000:]
    assert "试运行" in dry.stdout and "住户: 新增 1 created" in dry.stdout and await residents() == []

    done = firstcall(db_urls, str(good), "--project", "P1", "--org", org.slug)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "已导入 imported: 3 行 rows" in done.stdout and "Traceback" not in done.stderr
    # The command's hash is the service's: the caller lookup finds the person it imported.
    assert await residents() == [("王建国", platform.cipher.lookup_hash("13800138000"))]
    async with owner_engine.connect() as conn:
        actor = (await conn.execute(text("SELECT actor FROM audit_log WHERE org_id = :o AND action = 'archive.imported'"),
                                    {"o": org.org_id})).scalar()
    assert actor == "system:import-cli"

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx({"住户": [RESIDENTS[:6], ["3号楼", "2", "1502", "李四", "业主", "12345"]]}))
    report = tmp_path / "report.xlsx"
    refused = firstcall(db_urls, str(bad), "--project", "P1", "--org", org.slug, "--report", str(report))
    assert refused.returncode == 1 and "第2行 F 手机号: 手机号格式不正确" in refused.stdout
    rows = list(openpyxl.load_workbook(report, read_only=True)["问题"].iter_rows(values_only=True))
    assert rows[1][:6] == ("住户", 2, "F 手机号", "12345", "手机号格式不正确", "BAD_PHONE") and len(rows) == 2

    missing = firstcall(db_urls, str(good), "--project", "NOPE", "--org", org.slug)
    assert missing.returncode == 2 and "项目 NOPE不存在" in missing.stderr
    assert await residents() == [("王建国", platform.cipher.lookup_hash("13800138000"))]
