"""导出 Excel in a real browser (docs/archive.md §8): an agent exports each list of the archive from
its tab (楼栋 and 房屋, 住户, 车位 and 车辆, 宠物) and downloads the import template; each file is
fetched with the session's token, saved under the project's code and reads back with the template's
header row, phones masked. An org admin finds the import page beside the template and exports a
project's staff from the staff table."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from playwright.async_api import Page, expect

from domain.archive.export import header
from domain.archive.sheets import SHEETS
from tests.browser.conftest import shot, sign_in, sign_out
from tests.browser.test_archive_pages import _estate
from tests.conftest import PASSWORD, add_user

_SHEETS = {s.key: s for s in SHEETS}


async def _download(page: Page, test_id: str, path: Path) -> tuple[str, openpyxl.Workbook]:
    async with page.expect_download() as info:
        await page.get_by_test_id(test_id).click()
    download = await info.value
    await download.save_as(path)
    return download.suggested_filename, openpyxl.load_workbook(path, read_only=True)


def _rows(book: openpyxl.Workbook, kind: str) -> tuple[list, list[list]]:
    """The sheet's header row and its data rows (empty cells dropped)."""
    rows = list(book[_SHEETS[kind].name].iter_rows(values_only=True))
    return list(rows[0]), [[c for c in r if c is not None] for r in rows[1:]]


async def _export(page: Page, kind: str, tmp_path: Path) -> list[list]:
    name, book = await _download(page, f"export-{kind}", tmp_path / f"{kind}.xlsx")
    sheet = _SHEETS[kind]
    assert re.fullmatch(rf"{sheet.name}-P1-\d{{4}}-\d{{2}}-\d{{2}}\.xlsx", name), name
    head, rows = _rows(book, kind)
    assert head == [header(c) for c in sheet.columns], head
    return rows


async def test_each_archive_list_exports_and_the_template_downloads(page, org, owner_engine, settings, gql, tmp_path):
    estate = await _estate(owner_engine, settings, org)
    admin = await gql.login(org)
    p1 = estate["project"]
    for head, mutation in (("$p: ID!, $r: ID!", 'createParkingSpace(input: {projectId: $p, area: "地下B1", number: "018", holderId: $r})'),
                           ("$r: ID!", 'registerVehicle(input: {residentId: $r, plate: "京A12345"})'),
                           ("$r: ID!", 'registerPet(input: {residentId: $r, name: "旺财", species: DOG})')):
        variables = {"r": estate["owner"]} | ({"p": p1} if "$p" in head else {})
        body = await gql(f"mutation({head}) {{ {mutation} {{ errors {{ code message }} }} }}", variables, token=admin)
        assert next(iter(body["data"].values()))["errors"] == [], body
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")

    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.goto("/archive")
    exports = page.get_by_test_id("archive-exports")
    await expect(exports.get_by_test_id("export-buildings")).to_be_visible()
    await expect(page.locator(".ant-tabs-nav-operations-hidden")).to_have_count(1)
    await expect(exports.get_by_test_id("export-residents")).to_have_count(0)  # each tab offers its own lists
    await expect(exports.get_by_test_id("archive-import-link")).to_have_count(0)  # an agent does not import
    await expect(page.get_by_test_id("flat-grid")).to_be_visible()
    await shot(page, "87-archive-export-buttons")
    buildings = await _export(page, "buildings", tmp_path)
    assert sorted(r[0] for r in buildings) == ["1号楼", "2号楼", "9号楼"], buildings
    units = await _export(page, "units", tmp_path)
    assert len(units) == 24 + 120, len(units)

    await page.get_by_role("tab", name=re.compile("住户")).click()
    await expect(exports.get_by_test_id("export-buildings")).to_have_count(0)
    residents = await _export(page, "residents", tmp_path)
    owner = next(r for r in residents if "王建国" in r)
    assert "138****8000" in owner and "13800138000" not in owner, owner  # masked, as every export
    assert not any("张伟" in r for r in residents)  # moved out: current stays only

    await page.get_by_role("tab", name=re.compile("车辆车位")).click()
    assert (await _export(page, "parking", tmp_path))[0][:2] == ["地下B1", "018"]
    assert (await _export(page, "vehicles", tmp_path))[0][0] == "京A12345"
    await page.get_by_role("tab", name=re.compile("宠物")).click()
    assert (await _export(page, "pets", tmp_path))[0][:2] == ["旺财", "犬"]

    name, book = await _download(page, "export-template", tmp_path / "template.xlsx")
    assert name == "档案导入模板.xlsx"
    for kind in ("buildings", "residents", "pets"):
        head, rows = _rows(book, kind)
        assert head == [header(c) for c in _SHEETS[kind].columns] and rows == [], (kind, head, rows)
    await sign_out(page)

    # 员工: an org admin exports the project's staff from the staff table.
    body = await gql("mutation($i: CreateStaffInput!) { createStaff(input: $i) { errors { code } } }",
                     {"i": {"name": "王师傅", "projectId": p1, "title": "维修工", "phone": "138 0013 5678"}}, token=admin)
    assert body["data"]["createStaff"]["errors"] == [], body
    await sign_in(page, org.slug, "admin", PASSWORD)
    # Whoever imports finds the import page beside the template, on the same project.
    await page.goto("/archive?tab=vehicles")
    await expect(page.get_by_test_id("vehicle-table")).to_contain_text("京A12345")
    # Five tabs and the exports side by side: no tab pushed into an overflow menu.
    await expect(page.locator(".ant-tabs-nav-operations-hidden")).to_have_count(1)
    await shot(page, "87b-archive-exports-with-import")
    await page.get_by_test_id("archive-import-link").click()
    await expect(page).to_have_url(re.compile(r"/archive/import\?project="))
    await expect(page.get_by_test_id("download-template")).to_be_visible()
    await page.goto("/admin")
    await expect(page.get_by_test_id("staff-phone")).to_have_text("138****5678")
    name, book = await _download(page, "export-staff", tmp_path / "staff.xlsx")
    assert re.fullmatch(r"员工-P1-\d{4}-\d{2}-\d{2}\.xlsx", name), name
    head, rows = _rows(book, "staff")
    assert head == [header(c) for c in _SHEETS["staff"].columns], head
    assert rows[0][0] == "王师傅" and "138****5678" in rows[0], rows
