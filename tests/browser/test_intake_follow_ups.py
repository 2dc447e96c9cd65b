"""登记 beyond the first case: the draft survives a reload until it is registered, a risk word in
the description shows 将触发预警 before registering (and the alert is raised after), and on the
line to read aloud D sends the case to whoever is on duty — nobody is, so the API escalates and the
desk sees 已升级 without being stopped — while L opens the link-a-repeat search."""

from __future__ import annotations

from playwright.async_api import expect
from sqlalchemy import text

from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD, add_user


async def test_draft_risk_chip_and_the_follow_ups(page, org, owner_engine):
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.goto("/intake")
    await page.get_by_label("类型").locator("label", has_text="2 投诉").click()
    await page.get_by_label("类别").click()
    await page.keyboard.type("公共区域")
    await page.keyboard.press("Enter")
    await page.get_by_label("描述").fill("楼道漏水一周没人管")
    await expect(page.get_by_test_id("intake-risk")).to_have_count(0)
    await page.get_by_label("描述").fill("楼道漏水一周没人管，再不修好我就找媒体")
    chip = page.get_by_test_id("intake-risk")
    await expect(chip).to_contain_text("将触发预警：媒体")

    await page.reload()  # a reload loses nothing until the case is registered
    await expect(page.get_by_label("描述")).to_have_value("楼道漏水一周没人管，再不修好我就找媒体")
    await expect(page.get_by_label("类型").locator("input[value='COMPLAINT']")).to_be_checked()
    await expect(chip).to_be_visible()
    await page.get_by_label("位置", exact=True).fill("2栋楼道")
    await shot(page, "34-intake-risk-chip")
    await page.keyboard.press("Control+Enter")
    done = page.get_by_test_id("intake-done")
    await expect(done).to_contain_text("已登记并承诺")
    assert await page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('firstcall.intake.draft'))") == []

    await page.keyboard.press("l")  # the focus is on the line to read, outside the form
    drawer = page.get_by_test_id("action-drawer")
    await expect(drawer).to_contain_text("关联重复诉求")
    await expect(drawer.get_by_label("较早的工单")).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(drawer).to_be_hidden()

    await page.get_by_test_id("intake-dispatch").click()
    note = page.get_by_test_id("intake-escalated")
    await expect(note).to_contain_text("当前无人值班，已升级")
    await expect(page.get_by_test_id("intake-submit")).to_be_enabled()  # the next call is not held up
    await shot(page, "35-intake-nobody-on-duty")
    async with owner_engine.connect() as conn:
        row = (await conn.execute(text("SELECT c.state, "
                                       "(SELECT count(*) FROM escalations e WHERE e.case_id = c.id AND e.reason = 'undispatchable') "
                                       "FROM cases c WHERE c.org_id = :o"), {"o": org.org_id})).one()
    assert tuple(row) == ("committed", 1), row
