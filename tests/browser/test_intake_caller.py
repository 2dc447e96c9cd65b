"""登记 finds the caller (docs/archive.md §8): the agent types the number the call came from, sees
the resident with their flat, picks it, and the case is registered for that flat and that resident.
Part of a flat number finds the flat and who lives there. The keyboard alone does it: ↑/↓ move a
highlighted flat, Enter picks it (or searches what was newly typed), Esc clears."""

from __future__ import annotations

from playwright.async_api import expect
from sqlalchemy import text

from api.graphql.types.node import from_global_id
from tests.api.test_archive_api import _archive
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD, add_user


async def test_find_a_caller_by_phone_and_register_a_case_for_their_flat(page, org, owner_engine, settings):
    archive = await _archive(owner_engine, settings, org, "P1", "13800138000")
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.goto("/intake")
    search = page.get_by_label("来电号码或房号")
    await expect(search).to_be_focused()

    await search.fill("3-2-1502")  # part of a flat number: the flat and who lives there
    await search.press("Enter")
    await expect(page.get_by_test_id("caller-resident")).to_have_count(2)
    flats = page.get_by_test_id("caller-unit")
    await expect(flats).to_have_text(["3号楼 2单元 1502 · 家属", "3号楼 2单元 1502 · 业主"])  # 李秀英, then 王建国
    await expect(page.locator("[data-testid=caller-unit][data-active=true]")).to_have_count(0)
    for key, active in (("ArrowDown", 0), ("ArrowDown", 1), ("ArrowDown", 1), ("ArrowUp", 0)):  # no wrapping past the ends
        await search.press(key)
        await expect(flats.nth(active)).to_have_attribute("data-active", "true")
        await expect(flats.nth(1 - active)).to_have_attribute("data-active", "false")
    await page.wait_for_timeout(300)  # the button's colour transition, for the screenshot
    await shot(page, "61-intake-caller-keyboard")
    await search.fill("3#803")  # newly typed: Enter searches rather than picking the highlighted flat
    await search.press("Enter")
    await expect(page.get_by_test_id("caller-resident")).to_have_count(0)
    await expect(flats).to_have_text(["3号楼 803"])
    await expect(page.get_by_test_id("intake-picked")).to_have_count(0)
    await search.press("Escape")
    await expect(search).to_have_value("")
    await expect(flats).to_have_count(0)

    await search.fill("138 0013 8000")
    await search.press("Enter")
    caller = page.get_by_test_id("caller-resident")
    await expect(caller).to_have_count(1)
    await expect(caller).to_contain_text("王建国")
    await expect(caller).to_contain_text("138****8000")
    await search.press("ArrowUp")  # from none, ↑ lands on the last flat: here the only one
    await expect(caller.get_by_test_id("caller-unit")).to_have_attribute("data-active", "true")
    await search.press("Enter")
    await expect(page.get_by_test_id("intake-picked")).to_contain_text("3号楼 2单元 1502 · 王建国")

    await page.get_by_label("类型").locator("label", has_text="1 报修").click()
    await page.get_by_label("类别").click()
    await page.keyboard.type("水电")
    await page.keyboard.press("Enter")
    await page.get_by_label("描述").fill("厨房水管漏水")
    await expect(page.locator(".ant-select-dropdown:visible")).to_have_count(0)  # closed, not over the form in the shot
    await shot(page, "60-intake-caller-found")
    await page.keyboard.press("Control+Enter")
    await expect(page.get_by_test_id("intake-done")).to_contain_text("已登记并承诺")
    await expect(page.get_by_test_id("intake-picked")).to_have_count(0)  # the next call starts clean
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT unit_id, reporter_resident_id, public_area FROM cases WHERE org_id = :o"),
                                  {"o": org.org_id})).one()
    assert tuple(row) == (from_global_id(archive["u1"], "Unit"), from_global_id(archive["r"], "Resident"), None)

    await search.fill("13800138000")  # the next call from the same number: their open case shows
    await search.press("Enter")
    await expect(page.get_by_test_id("caller-open-cases")).to_contain_text("未完成工单 1")
