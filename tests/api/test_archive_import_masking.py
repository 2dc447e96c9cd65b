"""No clear phone or ID number outlives an upload (docs/archive.md §3, §6.3): a number that reached
the report other than through its own column — a formula in the phone column, a phone typed one
column over into a date or the project code — is masked in the problems the import keeps, the
API's answer, the report workbook, the audit rows and the outbox."""

from __future__ import annotations

from sqlalchemy import text

from domain.archive.sheets import RESIDENTS
from tests.api import test_archive_upload as base
from tests.api.test_archive_upload import IMPORT, ONE, upload
from tests.archive_books import BUILDINGS, UNITS, settle, workbook

desk = base.desk  # the fixture: two companies' people and projects

CLEAR = ("13800138000", "13900139000", "13700137000", "110105194912310021")


def _book() -> bytes:
    header = [c.header + ("*" if c.required else "") for c in RESIDENTS.columns]
    blank = [None] * len(header)

    def row(**cells) -> list[object]:
        r = ["1号楼", "1", "101", "张三", "业主", *blank[5:]]
        for name, value in cells.items():
            r[header.index(name)] = value
        return r

    return workbook({
        "楼栋": [BUILDINGS, ["1号楼", 18]], "房屋": [UNITS, ["1号楼", "1", "101", 1, 88.5]],
        "住户": [header, row(手机号='="13800138000"'), row(项目编码="13900139000"), row(入住日期="13700137000"),
                 row(备注='="110105194912310021"')],
    })


async def test_numbers_in_the_wrong_place_are_masked_everywhere(client, gql, desk, owner_engine, org, platform, stub_worker):
    uploaded = (await upload(client, desk["pm"], desk["p1"], _book())).json()["uploadId"]
    job = (await gql(IMPORT, {"u": uploaded, "k": "m"}, token=desk["pm"]))["data"]["importArchive"]["import"]
    await settle(platform, stub_worker)
    report = (await gql(ONE, {"id": job["id"]}, token=desk["pm"]))["data"]["archiveImport"]
    assert report["state"] == "REJECTED"
    codes = {p["code"] for p in report["problems"]}
    assert {"FORMULA", "OTHER_PROJECT", "BAD_DATE"} <= codes, report["problems"]
    shown = str(report)
    got = await client.get(f"/export/archive-imports/{job['id']}/report.xlsx", headers={"authorization": f"Bearer {desk['pm']}"})
    assert got.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook
    cells = str([list(r) for r in load_workbook(BytesIO(got.content), read_only=True)["问题"].iter_rows(values_only=True)])
    async with owner_engine.connect() as conn:
        kept = str((await conn.execute(text("SELECT i.*::text FROM archive_imports i WHERE org_id = :o"),
                                       {"o": org.org_id})).scalars().all())
        audit = str((await conn.execute(text("SELECT data::text FROM audit_log WHERE org_id = :o"),
                                        {"o": org.org_id})).scalars().all())
        outbox = str((await conn.execute(text("SELECT payload::text FROM outbox WHERE org_id = :o"),
                                         {"o": org.org_id})).scalars().all())
    for number in CLEAR:
        for where, found in (("api", shown), ("workbook", cells), ("row", kept), ("audit", audit), ("outbox", outbox)):
            assert number not in found, (number, where)
    assert "138****8000" in shown and "139****9000" in shown
