"""隐患 and 人员考核 in the console (docs/centre-day.md §2.2, §7): a project manager reports a hazard and
assigns it to a CS supervisor, who records the rectification and is offered no verification of their
own work; the manager verifies it. The people page shows a person's month and takes the month's
headcount and costs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import openpyxl
from playwright.async_api import Page, expect
from sqlalchemy import text

from tests.browser.conftest import shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user


async def open_hazard(page: Page, title: str) -> None:
    await page.goto("/hazards")
    await page.locator(f"[data-hazard='{title}']").click()
    await expect(page.get_by_test_id("hazard-drawer")).to_be_visible()


async def close_and_sign_out(page: Page) -> None:
    await page.locator(".ant-drawer-close").click()
    await sign_out(page)


async def test_a_hazard_reported_assigned_rectified_and_verified_by_another(page, org, owner_engine, tmp_path):
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    await add_user(owner_engine, org, "sup1", "cs_supervisor", "P1")

    await sign_in(page, org.slug, "pm1", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("^隐患")).click()
    await expect(page.get_by_test_id("hazards-page")).to_be_visible()
    await page.get_by_test_id("hazard-report-open").click()
    await page.get_by_test_id("hazard-report-title").fill("消防泵房门锁损坏")
    await page.get_by_test_id("hazard-report-category").click()
    await page.locator(".ant-select-item-option").filter(has_text="消防").click()
    await page.get_by_test_id("hazard-report-place").fill("地下车库B2消防泵房")
    await expect(page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")).to_have_count(0)
    await shot(page, "96-hazard-report")
    await page.get_by_test_id("hazard-report-submit").click()
    drawer = page.get_by_test_id("hazard-drawer")
    await expect(drawer.get_by_test_id("hazard-state")).to_have_text("待指派")

    await drawer.get_by_test_id("hazard-owner").click()
    await page.locator(".ant-select-item-option").filter(has_text="sup1").click()
    await expect(drawer.get_by_test_id("hazard-owner")).to_contain_text("sup1")  # chosen before it is sent
    await drawer.get_by_test_id("hazard-assign").click()
    await expect(drawer.get_by_test_id("hazard-state")).to_have_text("整改中", timeout=15_000)
    await expect(drawer.get_by_test_id("hazard-owner-name")).to_have_text("sup1")
    await shot(page, "96-hazard-assigned")
    await close_and_sign_out(page)

    await sign_in(page, org.slug, "sup1", PASSWORD)
    await open_hazard(page, "消防泵房门锁损坏")
    drawer = page.get_by_test_id("hazard-drawer")
    await drawer.get_by_test_id("hazard-rectify-note").fill("更换门锁并加装闭门器")
    await drawer.get_by_test_id("hazard-rectify-photos").fill("https://files.example.com/lock.jpg")
    await drawer.get_by_test_id("hazard-rectify").click()
    await expect(drawer.get_by_test_id("hazard-state")).to_have_text("待验证")
    # The owner holds hazard:verify in P1 and still is offered no verification of their own work.
    await expect(drawer.get_by_test_id("hazard-verify-pass")).to_have_count(0)
    await expect(drawer.get_by_test_id("hazard-wait-verify")).to_be_visible()
    await shot(page, "96-hazard-rectified-owner")
    await close_and_sign_out(page)

    await sign_in(page, org.slug, "pm1", PASSWORD)
    await open_hazard(page, "消防泵房门锁损坏")
    drawer = page.get_by_test_id("hazard-drawer")
    await expect(drawer.get_by_test_id("hazard-rectification")).to_contain_text("更换门锁并加装闭门器")
    await drawer.get_by_test_id("hazard-verify-pass").click()
    await expect(drawer.get_by_test_id("hazard-state")).to_have_text("已验证")
    await expect(drawer.get_by_test_id("hazard-verification")).to_contain_text("pm1")
    await shot(page, "96-hazard-verified")
    await page.locator(".ant-drawer-close").click()
    await shot(page, "96-hazard-register")
    # 导出: the register as a workbook, the verified hazard with its verifier.
    async with page.expect_download() as info:
        await page.get_by_test_id("hazards-export").click()
    download = await info.value
    assert download.suggested_filename.startswith("隐患台账-P1-")
    await download.save_as(tmp_path / "hazards.xlsx")
    book = openpyxl.load_workbook(tmp_path / "hazards.xlsx", read_only=True)
    lines = list(book["隐患台账"].iter_rows(values_only=True))
    row = dict(zip(lines[0], lines[1], strict=True))
    assert len(lines) == 2 and (row["隐患"], row["状态"], row["验证人"]) == ("消防泵房门锁损坏", "已验证", "pm1")
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text(
            "SELECT h.state, h.source, o.username, h.rectification_photos, h.verified_by FROM hazards h "
            "JOIN users o ON o.id = h.owner_user_id WHERE h.org_id = :o"), {"o": org.org_id})).one()
    assert tuple(row[:4]) == ("verified", "report", "sup1", ["https://files.example.com/lock.jpg"])
    assert row[4] is not None


async def test_the_people_page_shows_a_persons_month_and_takes_the_costs(page, org, owner_engine):
    tech = await add_user(owner_engine, org, "tech1", "technician", "P1")
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    today = datetime.now(UTC).astimezone(timezone(timedelta(hours=8))).date()
    month = today.replace(day=1)
    # The figures' own rollup is tested in tests/api/test_people_figures.py; here one person's month is enough.
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO kpi_person_month (org_id, project_id, month, user_id, handled, resolved, resolved_on_time, "
                                "visited, satisfied) VALUES (:o, :p, :m, :u, 4, 3, 2, 2, 2)"),
                           {"o": org.org_id, "p": org.projects["P1"], "m": month, "u": tech})

    await sign_in(page, org.slug, "pm1", PASSWORD)
    await page.goto(f"/people?month={month.strftime('%Y-%m')}")
    rows = page.get_by_test_id("people-figures").locator("tbody tr.ant-table-row")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("tech1")
    await expect(rows.first).to_contain_text("75.0%")  # 解决率 3 / 4
    await page.get_by_test_id("staffing-headcount").fill("12")
    await page.get_by_test_id("staffing-labour").fill("60000")
    await page.get_by_test_id("staffing-other").fill("12000.50")
    await page.get_by_test_id("staffing-save").click()
    await expect(page.get_by_test_id("costs-headcount")).to_have_text("12")
    await shot(page, "96-people")
    async with owner_engine.connect() as conn:
        staffing = (await conn.execute(text("SELECT headcount, labour_cost_fen, other_cost_fen FROM project_staffing WHERE org_id = :o"),
                                       {"o": org.org_id})).one()
    assert tuple(staffing) == (12, 6000000, 1200050)


async def test_hq_launches_a_sweep_and_a_project_records_and_submits_it(page, org, owner_engine):
    await add_user(owner_engine, org, "hq", "hq_quality", None)
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")

    await sign_in(page, org.slug, "hq", PASSWORD)
    await page.goto("/hazards?tab=sweeps")
    await page.get_by_test_id("sweep-create-open").click()
    await page.get_by_test_id("sweep-title").fill("冬季消防拉网排查")
    await page.get_by_test_id("sweep-items").fill("消防通道是否畅通\n灭火器是否在有效期内")
    await page.get_by_test_id("sweep-create-submit").click()
    await expect(page.get_by_test_id("sweep-state")).to_have_text("草稿")
    await expect(page.get_by_test_id("sweep-checklist").locator("li")).to_have_count(2)
    await page.get_by_test_id("sweep-launch").click()
    await expect(page.get_by_test_id("sweep-state")).to_have_text("已下发")
    await expect(page.get_by_test_id("sweep-board").locator("tbody tr.ant-table-row")).to_have_count(len(org.projects))
    await shot(page, "96-sweep-board")
    await sign_out(page)

    await sign_in(page, org.slug, "pm1", PASSWORD)
    await page.goto("/hazards?tab=sweeps")
    items = page.get_by_test_id("sweep-item")
    await expect(items).to_have_count(2)
    await expect(page.get_by_test_id("sweep-create-open")).to_have_count(0)  # HQ's alone
    await items.nth(0).get_by_test_id("sweep-item-record").click()
    await expect(items.nth(0).get_by_test_id("sweep-item-recorded")).to_contain_text("正常")
    await expect(page.get_by_test_id("sweep-submit")).to_be_disabled()
    await items.nth(1).get_by_test_id("sweep-item-result").click()
    await page.locator(".ant-select-item-option").filter(has_text="有隐患").click()
    await items.nth(1).get_by_test_id("sweep-item-hazard").fill("3号楼灭火器过期")
    await items.nth(1).get_by_test_id("sweep-item-record").click()
    await expect(items.nth(1).get_by_test_id("sweep-item-recorded")).to_contain_text("YH-P1-")
    await shot(page, "96-sweep-record")
    await page.get_by_test_id("sweep-submit").click()
    await expect(page.get_by_test_id("sweep-submitted")).to_be_visible()
    board = page.get_by_test_id("sweep-board").locator("tbody tr.ant-table-row")
    await expect(board).to_have_count(1)  # a project sees its own part
    await expect(board.first).to_contain_text("已提交")
    await shot(page, "96-sweep-submitted")
    async with owner_engine.connect() as conn:
        source = (await conn.execute(text("SELECT source FROM hazards WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
    assert source == "sweep"


async def test_hq_edits_a_draft_launches_it_moves_its_deadline_and_closes_it(page, org, owner_engine):
    await add_user(owner_engine, org, "hq", "hq_quality", None)
    await sign_in(page, org.slug, "hq", PASSWORD)
    await page.goto("/hazards?tab=sweeps")
    await page.get_by_test_id("sweep-create-open").click()
    await page.get_by_test_id("sweep-title").fill("燃气安全排查")
    await page.get_by_test_id("sweep-items").fill("燃气表间通风")
    await page.get_by_test_id("sweep-create-submit").click()
    await expect(page.get_by_test_id("sweep-state")).to_have_text("草稿")

    await page.get_by_test_id("sweep-edit-open").click()
    await page.get_by_test_id("sweep-edit-title").fill("燃气与消防安全排查")
    await page.get_by_test_id("sweep-edit").get_by_label("检查清单", exact=False).fill("燃气表间通风\n消防通道畅通")
    await page.get_by_test_id("sweep-edit-submit").click()
    await expect(page.get_by_test_id("sweep-detail")).to_contain_text("燃气与消防安全排查")
    await expect(page.get_by_test_id("sweep-checklist").locator("li")).to_have_count(2)
    await page.get_by_test_id("sweep-launch").click()
    await expect(page.get_by_test_id("sweep-state")).to_have_text("已下发")

    await page.get_by_test_id("sweep-edit-open").click()
    await expect(page.get_by_test_id("sweep-edit").get_by_label("检查清单", exact=False)).to_have_count(0)  # fixed once launched
    await page.get_by_test_id("sweep-edit-title").fill("燃气与消防安全排查（第二轮）")
    await page.get_by_test_id("sweep-edit-submit").click()
    await expect(page.get_by_test_id("sweep-detail")).to_contain_text("第二轮")

    await page.get_by_test_id("sweep-close-open").click()
    await page.get_by_test_id("sweep-close-note").fill("寒潮过后结束")
    await shot(page, "96-sweep-close")
    await page.locator(".ant-modal-footer .ant-btn-dangerous").click()
    await expect(page.get_by_test_id("sweep-state")).to_have_text("已结束")
    await expect(page.get_by_test_id("sweep-closed-note")).to_contain_text("寒潮过后结束")
    await expect(page.get_by_test_id("sweep-edit-open")).to_have_count(0)
    await shot(page, "96-sweep-closed")
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT title, state, jsonb_array_length(checklist) FROM sweeps WHERE org_id = :o"),
                                  {"o": org.org_id})).one()
    assert tuple(row) == ("燃气与消防安全排查（第二轮）", "closed", 2)
