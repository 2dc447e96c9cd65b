"""The HQ board in a real browser: every project with its figures; while it is open a complaint
through the HQ hotline raises a red alert (through the outbox, relay and worker) that appears in
the stream and in the project's row without a reload; the changed row pulses and keeps its place
until R sorts the board again. The 档案准确率 column sorts the worst archive first."""

from __future__ import annotations

import re

from playwright.async_api import expect

from api.graphql.types.node import to_global_id
from domain.archive.accuracy import beijing_today
from tests.api.conftest import REGISTER
from tests.api.test_org_overview import settle
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD
from tests.integration.test_archive_accuracy import Archive, computed


async def test_board_shows_a_new_alert_without_reload(page, org, gql, platform, stub_worker):
    await sign_in(page, org.slug, "admin", PASSWORD)
    await page.goto("/hq")
    table = page.get_by_test_id("hq-table")
    for code, name in (("P1", "项目1"), ("P2", "项目2")):
        await expect(table.locator(f"[data-project={code}]")).to_contain_text(name)
    await expect(page.get_by_test_id("live-state")).to_have_attribute("data-state", "live")
    await expect(page.get_by_test_id("alert-stream")).to_contain_text("暂无未处理预警")
    await shot(page, "05-hq-board")
    await page.evaluate("window.__sameDocument = true")

    token = await gql.login(org)
    complaint = {"projectId": to_global_id("Project", org.projects["P1"]), "kind": "COMPLAINT", "channel": "HQ_HOTLINE",
                 "category": "noise", "publicArea": "5栋楼下", "description": "夜间施工噪音，物业不处理，打到总部投诉"}
    body = await gql(REGISTER, {"i": complaint}, token=token)
    assert body["data"]["registerCase"]["errors"] == [], body
    await settle(platform, stub_worker)

    item = page.get_by_test_id("alert-item").first
    await expect(item).to_contain_text("红色", timeout=20_000)
    await expect(item).to_contain_text("项目1")
    await expect(page.get_by_test_id("new-alerts")).to_contain_text("1")
    row = table.locator("[data-project=P1]")
    await expect(row.locator("[data-health]")).to_have_attribute("data-health", "red")
    await expect(row.get_by_test_id("alert-counts")).to_contain_text(re.compile("红1"))
    assert await page.evaluate("window.__sameDocument") is True  # no reload
    # The refetched figures moved: the order stays until R, which sorts again (red first).
    await expect(page.get_by_test_id("order-frozen")).to_be_visible()
    await shot(page, "06-hq-board-alert")
    await page.evaluate("document.activeElement?.blur()")  # single keys act outside inputs
    await page.keyboard.press("r")
    await expect(page.get_by_test_id("order-frozen")).to_be_hidden()
    await expect(table.locator("[data-project]").first).to_have_attribute("data-project", "P1")

    await row.click()
    drawer = page.get_by_role("dialog")
    await expect(drawer).to_contain_text("项目1")
    await expect(drawer.get_by_test_id("series-chart").or_(drawer.get_by_text("本月暂无数据"))).to_be_visible()
    await page.wait_for_timeout(400)  # the drawer's slide-in, for the picture
    await shot(page, "07-hq-project-drawer")
    async with page.context.expect_page() as opened:
        await drawer.get_by_role("button", name=re.compile("月度小结")).click()
    printed = await opened.value
    await expect(printed.locator("body")).to_contain_text("项目1")
    await shot(printed, "08-monthly-summary-print")


async def test_archive_accuracy_column_sorts_worst_first(page, org, platform, owner_engine):
    # P1's archive is all in order; half of P2's flats lack their area (docs/archive.md §7).
    full, half = Archive(owner_engine, org, "P1"), Archive(owner_engine, org, "P2")
    await full.unit("101", vacant=True)
    await half.unit("201", vacant=True)
    await half.unit("202", vacant=True, area=None)
    await computed(platform, org, beijing_today())
    await sign_in(page, org.slug, "admin", PASSWORD)
    await page.goto("/hq")
    table = page.get_by_test_id("hq-table")
    await expect(table.locator("[data-project=P1]").get_by_test_id("archive-accuracy")).to_have_text("100.0%")
    await expect(table.locator("[data-project=P2]").get_by_test_id("archive-accuracy")).to_have_text("50.0%")
    await expect(table.locator("[data-project]").first).to_have_attribute("data-project", "P1")
    await table.get_by_text("档案准确率").click()
    await expect(table.locator("[data-project]").first).to_have_attribute("data-project", "P2")
    await shot(page, "05b-hq-board-archive-accuracy")
