"""通知 Inbox: two cases pass their commitment deadline; the SLA scanner escalates them (outbox,
relay, worker) to the supervisor, whose bell counts them without a reload and whose toast offers
the case; the inbox lists them, and marking one and then all read brings the bell down."""

from __future__ import annotations

import re

from playwright.async_api import expect
from sqlalchemy import text

from api.graphql.types.node import from_global_id
from tests.api.conftest import REGISTER
from tests.api.test_org_overview import settle
from tests.browser.conftest import shot, sign_in
from tests.browser.test_alerts_centre import request_of
from tests.conftest import PASSWORD, add_user
from workers.sla_scanner import fire_due


async def overdue_case(gql, owner_engine, token: str, org, description: str) -> str:
    """A case whose L1 commitment timer is due now: the scanner's next run escalates it."""
    body = await gql(REGISTER, {"i": request_of(org, description=description)}, token=token)
    assert body["data"]["registerCase"]["errors"] == [], body
    number = body["data"]["registerCase"]["case"]["number"]
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE sla_timers SET due_at = now() WHERE case_id = :c AND target = 'commit' AND level = 'l1'"),
                           {"c": from_global_id(body["data"]["registerCase"]["case"]["id"], "Case")})
    return number


async def test_a_notification_reaches_the_bell_live_and_is_marked_read(page, org, owner_engine, gql, platform, stub_worker):
    await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
    admin = await gql.login(org)
    await sign_in(page, org.slug, "sup", PASSWORD)
    count = page.get_by_test_id("inbox-count")
    await expect(count).to_have_attribute("data-count", "0")
    await expect(page.get_by_test_id("live-state")).to_have_attribute("data-state", "live")
    await page.evaluate("window.__sameDocument = true")

    first = await overdue_case(gql, owner_engine, admin, org, "大堂灯不亮")
    second = await overdue_case(gql, owner_engine, admin, org, "3栋电梯按钮失灵")
    await fire_due(platform)
    await settle(platform, stub_worker)
    await expect(count).to_have_attribute("data-count", "2", timeout=20_000)
    toast = page.locator(".ant-notification-notice", has_text=f"一级升级 L1：工单 {first}")
    await expect(toast).to_be_visible()
    await expect(toast.get_by_role("button", name="打开工单")).to_be_visible()
    assert await page.evaluate("window.__sameDocument") is True  # no reload
    await shot(page, "30-inbox-bell-toast")
    for notice in await page.locator(".ant-notification-notice-close").all():
        await notice.click()

    await page.get_by_test_id("inbox-bell").click()
    await expect(page).to_have_url(re.compile(r"/inbox$"))
    items = page.get_by_test_id("inbox-item")
    await expect(items).to_have_count(2)
    # Newest first: the two escalations' notices are written by the worker's threads in either order.
    async with owner_engine.connect() as conn:
        newest = (await conn.execute(text(
            "SELECT c.number FROM notifications n JOIN cases c ON c.org_id = n.org_id AND c.id = n.case_id "
            "WHERE n.org_id = :o ORDER BY n.created_at DESC, n.id LIMIT 1"), {"o": org.org_id})).scalar()
    assert newest in (first, second), newest
    await expect(items.first).to_contain_text(newest)
    await expect(page.get_by_role("radio", name="未读 (2)")).to_be_checked()
    await expect(page.get_by_test_id("inbox-mark-all")).to_be_enabled()
    await page.mouse.move(600, 500)
    await page.wait_for_timeout(400)  # the tooltip fades, the button settles
    await shot(page, "31-inbox-unread")

    await items.filter(has_text=first).get_by_test_id("inbox-mark").click()
    await expect(count).to_have_attribute("data-count", "1")
    await expect(items).to_have_count(1)
    await page.get_by_test_id("inbox-mark-all").click()
    await expect(count).to_have_attribute("data-count", "0")
    await expect(page.get_by_text("没有未读通知")).to_be_visible()
    await shot(page, "32-inbox-empty")

    await page.get_by_text("查看全部").click()
    await expect(items).to_have_count(2)
    await expect(page.get_by_role("radio", name="全部")).to_be_checked()
    await expect(page.locator("[data-testid='inbox-item'][data-read='0']")).to_have_count(0)
    await page.wait_for_timeout(300)  # the switch's slide
    await shot(page, "33-inbox-all")
    await items.filter(has_text=first).get_by_test_id("inbox-open").click()
    await expect(page).to_have_url(re.compile(r"/cases/"))
    await expect(page.get_by_text(first).first).to_be_visible()
