"""交接班 in the console (docs/centre-day.md §10): an agent takes over the service centre's log,
leaves an open item and hands over; the supervisor of the next shift takes over, sees the carried
item, cannot write until signing (签收), signs by name and writes; the 早会 briefing counts the
night's open items beside it, and prints on A4 (打印)."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.conftest import shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user


async def test_a_handover_is_acknowledged_before_the_next_shift_writes(page, org, owner_engine):
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.goto("/handover")
    await page.get_by_test_id("handover-open").click()
    await page.get_by_test_id("handover-text").fill("304 漏水待维修回访")
    await page.get_by_test_id("handover-add").click()
    await expect(page.get_by_test_id("handover-entry")).to_have_count(1)
    await page.get_by_test_id("handover-summary").fill("夜班平稳")
    await page.get_by_test_id("handover-hand-over").click()
    await expect(page.get_by_test_id("handover-open")).to_be_visible()
    await sign_out(page)

    await sign_in(page, org.slug, "sup", PASSWORD)
    await page.goto("/handover")
    await page.get_by_test_id("handover-open").click()
    entry = page.get_by_test_id("handover-entry")
    await expect(entry).to_have_count(1)
    await expect(entry).to_contain_text("304 漏水待维修回访")
    await expect(entry).to_contain_text("已交接 1 次")
    await expect(page.get_by_test_id("handover-ack-needed")).to_be_visible()
    await expect(page.get_by_test_id("handover-text")).to_be_disabled()
    await page.get_by_test_id("handover-ack").click()
    await expect(page.get_by_test_id("handover-ack-needed")).to_have_count(0)
    await expect(page.get_by_test_id("handover-acks")).to_contain_text("sup")
    await page.get_by_test_id("handover-text").fill("已联系维修班组")
    await page.get_by_test_id("handover-add").click()
    await expect(page.get_by_test_id("handover-entry")).to_have_count(2)
    await expect(page.get_by_test_id("handover-briefing")).to_be_visible()
    await shot(page, "91-handover")
    async with page.context.expect_page() as opened:
        await page.get_by_test_id("briefing-print").click()
    printed = await opened.value
    await expect(printed.locator("h1")).to_have_text("早会简报")
    await expect(printed.locator("body")).to_contain_text("逾期隐患")
    await shot(printed, "91-handover-briefing-print")
    await printed.close()
