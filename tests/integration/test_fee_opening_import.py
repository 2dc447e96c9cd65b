"""Importing opening balances (期初欠费, docs/resident-services.md §6.8) through the service, on
the archive's pipeline, against the real database: workbooks built here with openpyxl, what
reached `bills` read back as the owner role, so "nothing written" means nothing."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import openpyxl
import pytest
from sqlalchemy import text

from domain.archive.import_service import ImportResult
from domain.errors import DomainError, ErrorCode
from domain.fees.commands import RecordPayment
from domain.fees.kinds import PayMethod
from domain.fees.opening_import import ImportOpening, import_opening
from domain.fees.payments import record_payment
from tests.integration.fees_setup import add_flats, add_item, uow_of
from tests.integration.test_cli_import import firstcall

HEAD = ["楼栋名称*", "单元", "房号*", "收费项目*", "所属期间*", "金额(元)*", "应缴日期", "备注"]


def xlsx(rows: list[list[Any]], sheet: str = "期初欠费", head: list[str] = HEAD) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(head)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def run(platform, org, workbook: bytes, *, project: str = "P1", dry_run: bool = False, uow=None) -> ImportResult:
    return await import_opening(ImportOpening(org.projects[project], workbook, dry_run=dry_run), uow or uow_of(platform, org))


async def bills(owner_engine, org) -> list[tuple]:
    async with owner_engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(
            "SELECT u.number, i.code, b.period, b.amount_fen, b.due_on, b.source, b.note FROM bills b "
            "JOIN units u ON u.org_id = b.org_id AND u.id = b.unit_id "
            "JOIN charge_items i ON i.org_id = b.org_id AND i.id = b.charge_item_id WHERE b.org_id = :o ORDER BY 1, 2, 3"),
            {"o": org.org_id})]


async def trail(owner_engine, org) -> tuple[list, list]:
    async with owner_engine.connect() as conn:
        audit = (await conn.execute(text("SELECT data FROM audit_log WHERE org_id = :o AND action = 'fees.opening_imported' "
                                         "ORDER BY id"), {"o": org.org_id})).scalars().all()
        events = (await conn.execute(text("SELECT payload FROM outbox WHERE org_id = :o AND topic = 'fees.opening_imported' "
                                          "ORDER BY created_at"),
                                     {"o": org.org_id})).scalars().all()
    return list(audit), list(events)


async def building(owner_engine, unit) -> str:
    async with owner_engine.connect() as conn:
        return (await conn.execute(text("SELECT b.name FROM units u JOIN buildings b ON b.org_id = u.org_id "
                                        "AND b.id = u.building_id WHERE u.id = :u"), {"u": unit})).scalar_one()


def codes(result: ImportResult) -> list[tuple[int, str]]:
    return [(p.row, p.code) for p in result.problems]


@pytest.fixture
async def world(platform, owner_engine, org):
    flats = await add_flats(owner_engine, org, "P1", [80.0, 90.0])
    await add_item(platform, org)  # WYF, "WYF 费", due on the 15th
    await add_item(platform, org, code="TCF")
    return await building(owner_engine, flats[0]), flats


async def test_rows_become_opening_bills_and_again_change_nothing(platform, owner_engine, org, world):
    b, _ = world
    book = xlsx([[b, None, "101", "WYF", "2026-01", 123.45, None, "原系统迁入"],
                 [b, None, "101", "TCF 费", "2026年2月", "200", "2026-03-01"],
                 [b, None, "102", "wyf", datetime(2025, 12, 9), 0.1, None]])
    dry = await run(platform, org, book, dry_run=True)
    assert dry.problems == [] and not dry.applied and dry.counts == {"fee_opening": {"created": 3, "updated": 0, "unchanged": 0}}
    assert await bills(owner_engine, org) == []  # a dry run writes nothing …
    first = await run(platform, org, book)
    assert first.applied and first.counts == dry.counts  # … and counted what the import then did
    assert await bills(owner_engine, org) == [
        ("101", "TCF", date(2026, 2, 1), 20000, date(2026, 3, 1), "opening", ""),
        ("101", "WYF", date(2026, 1, 1), 12345, date(2026, 1, 15), "opening", "原系统迁入"),
        ("102", "WYF", date(2025, 12, 1), 10, date(2025, 12, 15), "opening", "")]
    again = await run(platform, org, book)
    assert again.counts == {"fee_opening": {"created": 0, "updated": 0, "unchanged": 3}}
    changed = await run(platform, org, xlsx([[b, None, "101", "WYF", "2026-01", "100.5"]]))
    assert changed.counts == {"fee_opening": {"created": 0, "updated": 1, "unchanged": 0}}
    assert (await bills(owner_engine, org))[1][3] == 10050
    audit, events = await trail(owner_engine, org)
    assert [a["dryRun"] for a in audit] == [True, False, False, False] and audit[1]["total_fen"] == 32355
    assert len(events) == 3 and events[0]["count"] == 3 and events[0]["periods"] == ["2025-12", "2026-01", "2026-02"]


async def test_bad_cells_are_reported_by_row_and_nothing_is_written(platform, owner_engine, org, world):
    b, _ = world
    result = await run(platform, org, xlsx([
        [b, None, "101", "WYF", "2026-01", 1.234],  # 3 decimals
        [b, None, "101", "WYF", "2026-13", 10],  # no such month
        [b, None, "101", "WYF", "2026-02", 0],
        [b, None, "101", "WYF", "2026-03", 10],  # good, but the file has problems
    ]))
    assert codes(result) == [(2, "BAD_AMOUNT"), (3, "BAD_PERIOD"), (4, "BAD_AMOUNT")]
    assert result.problems[0].column == "F 金额(元)" and result.problems[0].problem == "金额应大于 0，最多两位小数"
    assert not result.applied and await bills(owner_engine, org) == []


async def test_unknown_item_flat_and_another_projects_flat_roll_all_back(platform, owner_engine, org, world):
    b, _ = world
    elsewhere = await add_flats(owner_engine, org, "P2", [70.0])
    b2 = await building(owner_engine, elsewhere[0])
    result = await run(platform, org, xlsx([
        [b, None, "101", "WYF", "2026-01", 10],
        [b, None, "101", "水费", "2026-01", 10],
        [b, None, "999", "WYF", "2026-01", 10],
        [b2, None, "101", "WYF", "2026-01", 10],  # a flat of project P2
        [b, None, "102", "WYF 费", "2026-01", 10], [b, None, "102", "WYF", "2026-01", 11],  # one bill by name and code
    ]))
    assert sorted(codes(result)) == [(3, "UNKNOWN_ITEM"), (4, "UNKNOWN_UNIT"), (5, "UNKNOWN_UNIT"), (7, "DUPLICATE_ROW")]
    assert not result.applied and await bills(owner_engine, org) == []


async def test_a_bill_with_a_payment_is_refused(platform, owner_engine, org, world):
    b, flats = world
    await run(platform, org, xlsx([[b, None, "101", "WYF", "2026-01", 100], [b, None, "102", "WYF", "2026-01", 100]]))
    await record_payment(RecordPayment(unit_id=flats[0], amount_fen=5000, method=PayMethod.CASH,
                                       paid_at=datetime.now(UTC)), uow_of(platform, org))
    result = await run(platform, org, xlsx([[b, None, "101", "WYF", "2026-01", 300], [b, None, "102", "WYF", "2026-01", 300]]))
    assert codes(result) == [(2, "BILL_PAID")] and not result.applied
    assert [r[3] for r in await bills(owner_engine, org)] == [10000, 10000]  # the unpaid one unchanged too: all or nothing


async def test_headers_and_other_sheets(platform, owner_engine, org, world):
    assert [p.code for p in (await run(platform, org, xlsx([], sheet="房屋"))).problems] == ["NO_SHEETS"]
    missing = await run(platform, org, xlsx([["x", "101"]], head=["楼栋名称*", "房号*"]))
    assert sorted(p.code for p in missing.problems) == ["MISSING_HEADER"] * 3


async def test_other_companies_projects_and_permissions(platform, owner_engine, org, other_org, world):
    b, _ = world
    book = xlsx([[b, None, "101", "WYF", "2026-01", 10]])
    for uow, project in ((uow_of(platform, other_org), "P1"),  # another company's project
                         (uow_of(platform, org, "project_manager", "P2"), "P1")):  # a project out of reach
        with pytest.raises(DomainError) as e:
            await import_opening(ImportOpening(org.projects[project], book), uow)
        assert e.value.code is ErrorCode.NOT_FOUND
    for role in ("cs_supervisor", "cs_agent"):  # they import the archive, not fees
        with pytest.raises(DomainError) as e:
            await run(platform, org, book, uow=uow_of(platform, org, role, "P1"))
        assert e.value.code is ErrorCode.FORBIDDEN
    assert (await run(platform, org, book, uow=uow_of(platform, org, "project_manager", "P1"))).applied
    # The other company's same-named building and flat are never found.
    theirs = await add_flats(owner_engine, other_org, "P1", [70.0])
    await add_item(platform, other_org)
    bt = await building(owner_engine, theirs[0])
    result = await run(platform, org, xlsx([[bt, None, "101", "WYF", "2026-01", 10]]))
    assert codes(result) == [(2, "UNKNOWN_UNIT")]


async def test_the_import_command_takes_the_kind(db_urls, owner_engine, org, world, tmp_path):
    b, _ = world
    path = tmp_path / "期初.xlsx"
    path.write_bytes(xlsx([[b, None, "101", "WYF", "2026-01", 88.8]]))
    dry = firstcall(db_urls, str(path), "--project", "P1", "--org", org.slug, "--kind", "fee_opening", "--dry-run")
    assert dry.returncode == 0, dry.stderr[-2000:]
    assert "期初欠费: 新增 1 created" in dry.stdout and await bills(owner_engine, org) == []
    done = firstcall(db_urls, str(path), "--project", "P1", "--org", org.slug, "--kind", "fee_opening")
    assert done.returncode == 0 and [r[3] for r in await bills(owner_engine, org)] == [8880]
    # Without the kind it is an archive workbook, and this one has no archive sheet.
    archive = firstcall(db_urls, str(path), "--project", "P1", "--org", org.slug)
    assert archive.returncode == 1 and "没有可导入的工作表" in archive.stdout
