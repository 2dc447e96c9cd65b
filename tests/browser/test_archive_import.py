"""档案导入 in the console (docs/archive.md §8): a project manager drops a workbook with one bad row,
sees that row in the problem table after the automatic dry run, downloads it as Excel, fixes the
file, uploads it again, and imports it with the progress bar — through the real upload endpoint,
outbox, broker and worker."""

from __future__ import annotations

import asyncio
import contextlib
import re

import pytest
from playwright.async_api import expect
from sqlalchemy import text

from tests.archive_books import flats
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD, add_user
from workers.relay import relay_all

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def worker(platform, stub_worker):
    """The relay, as the scanner runs it, beside the stub broker's worker threads."""
    stop = asyncio.Event()

    async def relay() -> None:
        while not stop.is_set():
            await relay_all(platform, stub_worker)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.2)

    task = asyncio.create_task(relay())
    yield
    stop.set()
    await task


async def test_import_a_workbook_with_a_bad_row_fix_it_and_apply(page, org, owner_engine, worker):
    await add_user(owner_engine, org, "pm", "project_manager", "P1")
    await sign_in(page, org.slug, "pm", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("档案导入")).click()
    await expect(page).to_have_url(re.compile(r"/archive/import"))
    await expect(page.get_by_test_id("import-project")).to_contain_text("项目1")

    files = page.locator("input[type=file]")
    await files.set_input_files(files=[{"name": "楼栋房屋.xlsx", "mimeType": XLSX, "buffer": flats(bad_floor_at=3)}])
    await expect(page.get_by_test_id("dry-run-problems")).to_contain_text("发现 1 个问题", timeout=60_000)
    table = page.get_by_test_id("problem-table")
    row = table.locator("tbody tr").filter(has_text="应为数字")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("房屋")
    await expect(row).to_contain_text("D 楼层")
    await expect(row.locator("td").nth(1)).to_have_text("4")  # the row as Excel numbers it
    await page.get_by_test_id("problem-sheet").get_by_text("房屋").click()
    await expect(table.locator("tbody tr").filter(has_text="应为数字")).to_have_count(1)
    await shot(page, "70-archive-import-problems")
    async with page.expect_download() as download:
        await page.get_by_test_id("download-report").click()
    assert (await download.value).suggested_filename.endswith(".xlsx")
    await expect(page.get_by_test_id("confirm-import")).to_have_count(0)  # nothing to apply from a bad file

    await files.set_input_files(files=[{"name": "楼栋房屋.xlsx", "mimeType": XLSX, "buffer": flats()}])
    await expect(page.get_by_test_id("dry-run-ok")).to_be_visible(timeout=60_000)
    counts = page.get_by_test_id("import-counts")
    await expect(counts.locator("tbody tr").filter(has_text="房屋")).to_contain_text("4")
    await shot(page, "71-archive-import-dry-run-ok")
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM units WHERE org_id = :o"), {"o": org.org_id})).scalar_one() == 0

    await page.get_by_test_id("confirm-import").click()
    await expect(page.get_by_test_id("import-done")).to_be_visible(timeout=60_000)
    await expect(page.get_by_test_id("apply").locator(".ant-progress")).to_have_count(0)
    await expect(page.get_by_test_id("recent-imports").locator("tbody tr")).to_have_count(3)
    await expect(page.get_by_test_id("recent-imports").locator("tbody tr").first).to_contain_text("完成")
    await shot(page, "72-archive-import-applied")
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM units WHERE org_id = :o"), {"o": org.org_id})).scalar_one() == 4
