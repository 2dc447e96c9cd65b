"""通知公告 in a real browser (docs/resident-services.md §5, §11): a CS agent drafts a notice to the
whole project and submits it; a CS supervisor approves it and sees it published, its 送达 and 已读
counts once the fan-out has run, and the unread list with the flat whose owner uses the app marked;
the unread list downloads as Excel with 是否使用App."""

from __future__ import annotations

import io
import re

import openpyxl
from playwright.async_api import expect
from sqlalchemy import text

from tests.browser.conftest import shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user
from tests.integration.fees_setup import add_flats


async def _fan_out(owner_engine, org, platform) -> str:
    """The notice.published consumer, as the worker runs it: recipients fixed, counts set."""
    from workers.handlers import handle_event
    from workers.relay import to_message

    async with owner_engine.begin() as conn:
        row = (await conn.execute(text("SELECT * FROM outbox WHERE org_id = :o AND topic = 'notice.published'"), {"o": org.org_id})).one()
    await handle_event(platform, to_message(row).args[0])
    return row.payload["notice_id"]


async def test_a_notice_drafted_approved_and_its_unread_list(page, org, owner_engine, platform):
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
    flats = await add_flats(owner_engine, org, "P1", [90.0, 90.0, 90.0])
    ids = {"o": org.org_id, "p": org.projects["P1"]}
    async with owner_engine.begin() as conn:  # 101's owner signed in to the owner app last week
        rid = (await conn.execute(text("INSERT INTO residents (org_id, project_id, name) VALUES (:o, :p, '王建国') RETURNING id"),
                                  ids)).scalar_one()
        await conn.execute(text("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role, primary_contact) "
                                "VALUES (:o, :p, :u, :r, 'owner', true)"), ids | {"u": flats[0], "r": rid})
        await conn.execute(text("INSERT INTO resident_identities (org_id, project_id, resident_id, kind, app_id, value_hash, bound_by, "
                                "last_seen_at) VALUES (:o, :p, :r, 'wechat_openid', 'wx1', '\\x01', gen_random_uuid(), "
                                "now() - interval '7 days')"),
                           ids | {"r": rid})

    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("通知公告")).click()
    await page.get_by_test_id("notice-new").click()
    await page.get_by_test_id("notice-title").fill("2号楼电梯年检")
    await page.get_by_test_id("notice-body").fill("本周五上午 9:00–12:00 2号楼电梯年检，暂停使用，请走楼梯。")
    await shot(page, "notices-form")
    await page.get_by_test_id("notice-save").click()
    detail = page.get_by_test_id("notice-detail")
    await expect(detail.get_by_test_id("notice-detail-state")).to_have_text("草稿")
    # An agent drafts but does not approve.
    await expect(detail.get_by_test_id("notice-approve")).to_have_count(0)
    await detail.get_by_test_id("notice-submit").click()
    await expect(detail.get_by_test_id("notice-detail-state")).to_have_text("待审核")
    await expect(detail.get_by_test_id("notice-waiting")).to_be_visible()
    await shot(page, "notices-submitted")
    await sign_out(page)

    await sign_in(page, org.slug, "sup", PASSWORD)
    await page.goto("/notices?state=PENDING")
    await page.locator("[data-notice='2号楼电梯年检']").click()
    await page.get_by_test_id("notice-approve").click()
    await expect(page.get_by_test_id("notice-detail-state")).to_have_text("已发布")
    await expect(page.get_by_test_id("notice-recipient-count")).to_contain_text("发送中")

    notice_id = await _fan_out(owner_engine, org, platform)
    async with owner_engine.begin() as conn:  # 102 has read it in the app
        rid2 = (await conn.execute(text("INSERT INTO residents (org_id, project_id, name) VALUES (:o, :p, '李秀英') RETURNING id"),
                                   ids)).scalar_one()
        await conn.execute(text("INSERT INTO occupancies (org_id, project_id, unit_id, resident_id, role) "
                                "VALUES (:o, :p, :u, :r, 'owner')"),
                           ids | {"u": flats[1], "r": rid2})
        await conn.execute(text("INSERT INTO notice_reads (org_id, project_id, notice_id, unit_id, resident_id) "
                                "VALUES (:o, :p, :n, :u, :r)"),
                           ids | {"n": notice_id, "u": flats[1], "r": rid2})
    # The page asks again while the fan-out is running, with no reload.
    await expect(page.get_by_test_id("notice-recipient-count")).to_contain_text("3", timeout=10_000)
    await expect(page.get_by_test_id("notice-read-count")).to_contain_text("1")
    await expect(page.get_by_test_id("notice-unread-count")).to_contain_text("2")
    unread = page.get_by_test_id("notice-unread")
    await expect(unread.locator("tbody tr")).to_have_count(2)
    await expect(unread.locator("tbody tr").filter(has_text="101")).to_contain_text("使用App")
    await expect(unread.locator("tbody tr").filter(has_text="103")).to_contain_text("未使用")
    listed = page.locator("[data-notice='2号楼电梯年检']")
    await expect(listed.get_by_test_id("notice-state")).to_have_text("已发布")
    await expect(listed).to_contain_text("1/3")
    await shot(page, "notices-published")

    async with page.expect_download() as download:
        await page.get_by_test_id("notice-unread-export").click()
    saved = await (await download.value).path()
    sheet = openpyxl.load_workbook(io.BytesIO(saved.read_bytes())).active
    rows = sorted((r[2], r[5]) for r in sheet.iter_rows(min_row=3, values_only=True))
    assert rows == [("101", "是"), ("103", "否")]
