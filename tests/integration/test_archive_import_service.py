"""Importing archive workbooks through the service (docs/archive.md §6.3, §9) against the real
database: workbooks built here with openpyxl, imported as the company's admin (or a worker's
actor), and what reached the tables read back as the owner role — so "nothing written" means
nothing, whatever row-level security would hide."""

from __future__ import annotations

import asyncio
import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from sqlalchemy import text

from domain.archive.import_service import ImportArchive, ImportResult, import_archive
from domain.archive.values import id_check_digit
from domain.errors import DomainError, ErrorCode, ErrorReason
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


async def test_a_dry_run_counts_exactly_and_writes_only_its_audit_row(platform, owner_engine, org):
    dry = await run(platform, org, xlsx(FULL), dry_run=True)
    assert dry.problems == [] and not dry.applied and dry.dry_run
    assert await archive(owner_engine, org) == {k: [] for k in (await archive(owner_engine, org))}
    audit, events = await trail(owner_engine, org)
    assert [a["dryRun"] for a in audit] == [True] and events == []
    real = await run(platform, org, xlsx(FULL))
    assert real.counts == dry.counts and real.applied


async def test_a_natural_key_match_updates_only_what_changed(platform, owner_engine, org):
    await run(platform, org, xlsx(FULL))
    before = await archive(owner_engine, org)
    changed = {
        "楼栋": [BUILDINGS, ["3号楼", 20], ["5号楼", 6]],
        "房屋": [UNITS, ["3号楼", "2", "1502", 15, 90, None, "是"]],  # 用途 left empty: kept
        "住户": [RESIDENTS, ["3号楼", "2", "803", "张伟", "租户", "13900139000", None, "2024-05-01", "2025-06-30"]],
        "车辆": [VEHICLES, ["京A12345", None, "大众", "黑", "13900139000"]],  # a new owner; the space kept
    }
    result = await run(platform, org, xlsx(changed))
    assert result.counts == {"buildings": {"created": 0, "updated": 1, "unchanged": 1},
                             "units": {"created": 0, "updated": 1, "unchanged": 0},
                             "residents": {"created": 0, "updated": 1, "unchanged": 0},
                             "vehicles": {"created": 0, "updated": 1, "unchanged": 0}}
    after = await archive(owner_engine, org)
    assert after["buildings"][0][:2] == ("3号楼", 20) and after["buildings"][1] == before["buildings"][1]
    assert after["units"][0][3:7] == (15, 90, "residential", True) and after["units"][1:] == before["units"][1:]
    assert after["stays"][0][:5] == ("张伟", "803", "tenant", date(2024, 5, 1), date(2025, 6, 30))
    assert after["stays"][1:] == before["stays"][1:] and after["residents"] == before["residents"]
    assert after["vehicles"][0][:3] == ("京A12345", "张伟", True)


async def test_refused_references_and_duplicates_are_reported_by_row(platform, owner_engine, org):
    await run(platform, org, xlsx(FULL))
    other_unit = ("3号楼", "9", "901")  # a flat of P2 only: not this project's
    async with owner_engine.begin() as conn:
        b = (await conn.execute(text("INSERT INTO buildings (org_id, project_id, name) VALUES (:o, :p, '3号楼') RETURNING id"),
                                {"o": org.org_id, "p": org.projects["P2"]})).scalar()
        await conn.execute(text("INSERT INTO units (org_id, project_id, building_id, entrance, number, floor) "
                                "VALUES (:o, :p, :b, '9', '901', 9)"), {"o": org.org_id, "p": org.projects["P2"], "b": b})
        # Two residents of P1 share a phone: an owner by that phone is ambiguous.
        await conn.execute(text("INSERT INTO residents (org_id, project_id, name, phone_hash) VALUES (:o, :p, '甲', :h), "
                                "(:o, :p, '乙', :h)"), {"o": org.org_id, "p": org.projects["P1"],
                                                        "h": platform.cipher.lookup_hash("13600136000")})
    before = await archive(owner_engine, org)
    bad = {
        "房屋": [UNITS, ["9号楼", None, "101", 1], ["3号楼", "2", "1502", 15]],
        "住户": [RESIDENTS, [*other_unit, "赵六", "业主", "13500135000"],
                 ["3号楼", "2", "1502", "王建国", "业主", "13800138000", None, None, "2019-12-31"],
                 ["3号楼", "2", "803", "张伟", "租户", "13900139000", ID]],  # 张伟 given 王建国's ID number
        "车辆": [VEHICLES, ["粤B12345", None, None, None, "13600136000"], ["粤B54321", None, None, None, "13300133000"],
                 ["粤BD12345", None, None, None, "13800138000", "地下B2", "001"]],
        "员工": [STAFF, ["周工", "保安部", None, "13700137001"]],
    }
    result = await run(platform, org, xlsx(bad))
    assert not result.applied and result.counts == {}
    assert codes(result) == [
        ("房屋", 2, "A 楼栋名称", "UNKNOWN_BUILDING"),
        ("住户", 2, "C 房号", "UNKNOWN_UNIT"),
        ("住户", 4, "G 证件号码", "ID_NUMBER_TAKEN"),
        ("住户", 3, "I 迁出日期", "MOVED_OUT_BEFORE_IN"),
        ("车辆", 2, "E 车主手机号", "AMBIGUOUS_OWNER"),
        ("车辆", 3, "E 车主手机号", "UNKNOWN_OWNER"),
        ("车辆", 4, "G 车位号", "UNKNOWN_SPACE"),
        ("员工", 2, "B 部门", "UNKNOWN_DEPARTMENT"),
    ]
    assert result.problems[0].problem == "楼栋“9号楼”不存在（档案和本文件中都没有）"
    assert await archive(owner_engine, org) == before

    # Rows the reader refuses (a flat twice) stop the import before the set checks.
    twice = await run(platform, org, xlsx({"房屋": [UNITS, ["3号楼", "2", "1502", 15], ["3号楼", "2", "1502", 16]],
                                           "住户": [RESIDENTS, [*other_unit, "赵六", "业主", "13500135000"]]}))
    assert [(p.row, p.code, p.problem) for p in twice.problems] == [(3, "DUPLICATE_ROW", "与第 2 行重复")]


async def test_an_export_with_masked_numbers_round_trips(platform, owner_engine, org):
    await run(platform, org, xlsx(FULL))
    before = await archive(owner_engine, org)
    masked = {
        "住户": [RESIDENTS, ["3号楼", "2", "1502", "王建国", "业主", "138****8000", "1101**********002X", "2020-01-01", None, "是"]],
        "车辆": [VEHICLES, ["京A12345", "小汽车", "大众", "白", "138****8000", "地下B1", "017"]],
        "员工": [STAFF, ["李师傅", "工程部", "维修工", "137****7000"]],
    }
    result = await run(platform, org, xlsx(masked))
    assert result.problems == [] and all(c == {"created": 0, "updated": 0, "unchanged": 1} for c in result.counts.values())
    assert await archive(owner_engine, org) == before
    # A masked number cannot make a new record: there is nothing on file to keep.
    new = {"住户": [RESIDENTS, ["3号楼", "2", "803", "新住户", "家属", "138****8000"]],
           "车辆": [VEHICLES, ["沪C99999", None, None, None, "139****0000"]]}
    result = await run(platform, org, xlsx(new))
    assert codes(result) == [("住户", 2, "F 手机号", "MASKED_VALUE"), ("车辆", 2, "E 车主手机号", "MASKED_VALUE")]


async def test_two_imports_of_one_project_at_once(platform, owner_engine, org):
    rows = [["1号楼", None, f"{i}", i % 50 + 1] for i in range(1, 3001)]
    workbook = xlsx({"楼栋": [BUILDINGS, ["1号楼", 60]], "房屋": [UNITS[:4], *rows]})
    results = await asyncio.gather(run(platform, org, workbook), run(platform, org, workbook), return_exceptions=True)
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and (refused[0].code, refused[0].reason) == (ErrorCode.CONFLICT, ErrorReason.IMPORT_RUNNING)
    assert [r.counts["units"]["created"] for r in results if isinstance(r, ImportResult)] == [3000]
    # Another project of the company is not held up.
    other = await run(platform, org, xlsx({"楼栋": [BUILDINGS, ["1号楼", 60]]}), project="P2")
    assert other.applied


async def test_another_company_or_project_out_of_reach_is_not_found(platform, owner_engine, org, other_org):
    workbook = xlsx({"楼栋": [BUILDINGS, ["1号楼", 6]]})
    for uow in (uow_of(platform, other_org), uow_of(platform, org, Role.PROJECT_MANAGER, "P2")):
        with pytest.raises(DomainError) as e:
            await run(platform, org, workbook, uow=uow)
        assert e.value.code is ErrorCode.NOT_FOUND
    with pytest.raises(DomainError) as e:
        await run(platform, org, workbook, uow=uow_of(platform, org, Role.DISPATCHER, "P1"))
    assert e.value.code is ErrorCode.FORBIDDEN
    assert await archive(owner_engine, org) == {k: [] for k in (await archive(owner_engine, org))}
    assert await trail(owner_engine, org) == ([], [])


async def test_a_file_that_is_no_workbook_is_a_report(platform, org):
    result = await run(platform, org, b"not a workbook at all")
    assert codes(result) == [("", 0, "", "NOT_A_WORKBOOK")] and not result.applied
