"""Importing archive workbooks through the service (docs/archive.md §6.3, §9) against the real
database: workbooks built here with openpyxl, imported as the company's admin (or a worker's
actor), and what reached the tables read back as the owner role — so "nothing written" means
nothing, whatever row-level security would hide."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
from sqlalchemy import text

from domain.archive.import_service import ImportArchive, ImportResult, import_archive
from domain.archive.values import id_check_digit
from domain.unit_of_work import UnitOfWork
from tenants.principal import Grant, Principal
from tenants.roles import Role

ID_STEM = "11010519491231002"
ID = ID_STEM + id_check_digit(ID_STEM)
BUILDINGS = ["楼栋名称*", "总层数*"]
UNITS = ["楼栋名称*", "单元", "房号*", "楼层*", "建筑面积(㎡)", "用途", "空置"]
RESIDENTS = ["楼栋名称*", "单元", "房号*", "姓名*", "身份*", "手机号", "证件号码", "入住日期", "迁出日期", "主联系人"]
PARKING = ["停车区*", "车位号*", "产权", "楼栋名称", "单元", "房号", "持有人手机号", "租期至"]
VEHICLES = ["车牌号*", "车辆类型", "品牌", "颜色", "车主手机号*", "停车区", "车位号"]
PETS = ["宠物名*", "种类*", "品种", "主人手机号*", "楼栋名称", "单元", "房号"]
STAFF = ["姓名*", "部门*", "职务", "手机号*"]


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def uow_of(platform, org, role: Role = Role.ORG_ADMIN, project: str | None = None) -> UnitOfWork:
    p = Principal(kind="user", id=org.admin_id, org_id=org.org_id, grants=(Grant(role, org.projects[project] if project else None),))
    return UnitOfWork(platform, org_id=p.org_id, actor=p.actor, scope=p.scope, may=p.can)


async def run(platform, org, workbook: bytes, *, project: str = "P1", dry_run: bool = False, uow=None) -> ImportResult:
    cmd = ImportArchive(project_id=org.projects[project], source=workbook, dry_run=dry_run)
    return await import_archive(cmd, uow or uow_of(platform, org), cipher=platform.cipher)


async def archive(owner_engine, org) -> dict[str, list[tuple]]:
    """Every archive table of the company, as the owner role sees it (no wall)."""
    queries = {
        "buildings": "SELECT name, floors, updated_at FROM buildings WHERE org_id = :o ORDER BY name",
        "units": "SELECT b.name, u.entrance, u.number, u.floor, u.area_m2, u.use, u.vacant, u.updated_at FROM units u "
                 "JOIN buildings b ON b.org_id = u.org_id AND b.id = u.building_id WHERE u.org_id = :o ORDER BY 1, 2, 3",
        "residents": "SELECT name, phone_masked, id_number_masked, phone_enc, updated_at FROM residents WHERE org_id = :o "
                     "ORDER BY name, phone_masked",
        "stays": "SELECT r.name, u.number, o.role, o.moved_in_on, o.moved_out_on, o.updated_at FROM occupancies o "
                 "JOIN residents r ON r.org_id = o.org_id AND r.id = o.resident_id "
                 "JOIN units u ON u.org_id = o.org_id AND u.id = o.unit_id WHERE o.org_id = :o ORDER BY 1, 2, 4",
        "parking": "SELECT area, number, tenure, holder_id IS NOT NULL, updated_at FROM parking_spaces WHERE org_id = :o ORDER BY 1, 2",
        "vehicles": "SELECT v.plate, r.name, v.space_id IS NOT NULL, v.updated_at FROM vehicles v "
                    "JOIN residents r ON r.org_id = v.org_id AND r.id = v.resident_id WHERE v.org_id = :o ORDER BY 1",
        "pets": "SELECT p.name, r.name, p.species, p.updated_at FROM pets p "
                "JOIN residents r ON r.org_id = p.org_id AND r.id = p.resident_id WHERE p.org_id = :o ORDER BY 1",
        "staff": "SELECT name, title, phone_masked FROM staff WHERE org_id = :o ORDER BY name",
    }
    async with owner_engine.connect() as conn:
        return {k: [tuple(r) for r in await conn.execute(text(q), {"o": org.org_id})] for k, q in queries.items()}


async def trail(owner_engine, org) -> tuple[list, list]:
    async with owner_engine.connect() as conn:
        audit = (await conn.execute(text("SELECT data FROM audit_log WHERE org_id = :o AND action = 'archive.imported' "
                                         "ORDER BY id"), {"o": org.org_id})).scalars().all()
        events = (await conn.execute(text("SELECT payload FROM outbox WHERE org_id = :o AND topic = 'archive.imported' "
                                          "ORDER BY created_at"), {"o": org.org_id})).scalars().all()
    return list(audit), list(events)


def codes(result: ImportResult) -> list[tuple[str, int, str, str]]:
    return [(p.sheet, p.row, p.column, p.code) for p in result.problems]


FULL = {
    "楼栋": [BUILDINGS, ["3号楼", 18], ["5号楼", 6]],
    "房屋": [UNITS, ["3号楼", "2", "1502", 15, 89.5, "住宅", "否"], ["3号楼", "2", "803", 8], ["5号楼", None, "101", 1, None, "商铺"]],
    "住户": [RESIDENTS, ["3号楼", "2", "1502", "王建国", "业主", "13800138000", ID, "2020-01-01", None, "是"],
             ["3号楼", "2", "803", "王建国", "业主", "138 0013 8000"],  # one person, two flats
             ["3号楼", "2", "803", "张伟", "租户", "13900139000", None, "2024/5/1"]],
    "车位": [PARKING, ["地下B1", "017", "产权", "3号楼", "2", "1502", "13800138000"]],
    "车辆": [VEHICLES, ["京A·12345", "小汽车", "大众", "白", "13800138000", "地下B1", "017"]],
    "宠物": [PETS, ["旺财", "犬", "柯基", "13900139000", "3号楼", "2", "803"]],
    "员工": [STAFF, ["李师傅", "工程部", "维修工", "13700137000"]],
}


async def test_a_whole_workbook_imports_and_again_changes_nothing(platform, owner_engine, org):
    workbook = xlsx(FULL)
    first = await run(platform, org, workbook)
    assert first.problems == [] and first.applied and first.rows_total == 12
    assert first.counts == {
        "buildings": {"created": 2, "updated": 0, "unchanged": 0}, "units": {"created": 3, "updated": 0, "unchanged": 0},
        "residents": {"created": 3, "updated": 0, "unchanged": 0}, "parking": {"created": 1, "updated": 0, "unchanged": 0},
        "vehicles": {"created": 1, "updated": 0, "unchanged": 0}, "pets": {"created": 1, "updated": 0, "unchanged": 0},
        "staff": {"created": 1, "updated": 0, "unchanged": 0}}
    after = await archive(owner_engine, org)
    assert [r[:2] for r in after["residents"]] == [("张伟", "139****9000"), ("王建国", "138****8000")]
    assert [r[:5] for r in after["stays"]] == [("张伟", "803", "tenant", date(2024, 5, 1), None),
                                               ("王建国", "1502", "owner", date(2020, 1, 1), None),
                                               ("王建国", "803", "owner", None, None)]
    assert after["vehicles"][0][:3] == ("京A12345", "王建国", True) and after["pets"][0][:3] == ("旺财", "张伟", "dog")
    assert after["staff"] == [("李师傅", "维修工", "137****7000")]
    audit, events = await trail(owner_engine, org)
    assert audit[0]["counts"] == first.counts and audit[0]["dryRun"] is False and audit[0]["sha256"] == first.sha256
    assert [e["counts"] for e in events] == [first.counts]
    assert "13800138000" not in str(audit) + str(events)

    # The same file again: every row unchanged, nothing rewritten (updated_at and ciphertext kept).
    again = await run(platform, org, workbook)
    assert again.applied and all(c["created"] == c["updated"] == 0 for c in again.counts.values())
    assert sum(c["unchanged"] for c in again.counts.values()) == 12
    assert await archive(owner_engine, org) == after


async def test_one_bad_row_in_a_thousand_writes_nothing(platform, owner_engine, org):
    rows = [["1号楼", None, f"{1 + i // 20}{1 + i % 20:02d}", f"住户{i}", "业主", f"138{i:08d}"] for i in range(1000)]
    rows[736][5] = "12345"  # Excel row 738
    units = [["1号楼", None, f"{1 + i // 20}{1 + i % 20:02d}", 1 + i // 20] for i in range(1000)]
    result = await run(platform, org, xlsx({"楼栋": [BUILDINGS, ["1号楼", 60]], "房屋": [UNITS, *units],
                                            "住户": [RESIDENTS[:6], *rows]}))
    assert not result.applied and result.counts == {}
    assert codes(result) == [("住户", 738, "F 手机号", "BAD_PHONE")]
    assert await archive(owner_engine, org) == {k: [] for k in (await archive(owner_engine, org))}
    assert await trail(owner_engine, org) == ([], [])
