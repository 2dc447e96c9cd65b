"""预警中心 and the HQ board while alerts are raised: the alerts centre lists red first, shows a
new alert without a reload, acknowledges (A) and resolves with a note (R); the board, open while
six residents of one building report the same fault, shows the cluster alert and the project's
new figures without a reload."""

from __future__ import annotations

import re

from playwright.async_api import expect

from api.graphql.types.node import to_global_id
from tests.api.conftest import REGISTER
from tests.api.test_alerts import building
from tests.api.test_org_overview import settle
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD, add_user


def request_of(org, **over) -> dict:
    base = {"projectId": to_global_id("Project", org.projects["P1"]), "kind": "REPAIR", "channel": "PHONE",
            "category": "water_power", "publicArea": "1栋大堂", "description": "大堂灯不亮"}
    return {**base, **over}


async def register(gql, token, case: dict) -> None:
    body = await gql(REGISTER, {"i": case}, token=token)
    assert body["data"]["registerCase"]["errors"] == [], body


async def test_alerts_centre_shows_new_alerts_live_and_acknowledges_and_resolves(page, org, owner_engine, gql, platform, stub_worker):
    await add_user(owner_engine, org, "hq", "hq_supervisor", None)
    admin = await gql.login(org)
    await register(gql, admin, request_of(org, kind="COMPLAINT", channel="HQ_HOTLINE", category="noise",
                                          description="夜间施工噪音，物业不处理，打到总部投诉"))
    await settle(platform, stub_worker)

    await sign_in(page, org.slug, "hq", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("预警中心")).click()
    table = page.get_by_test_id("alerts-table")
    await expect(table.locator("tr[data-alert]")).to_have_count(1)
    await expect(page.get_by_test_id("live-state")).to_have_attribute("data-state", "live")
    await page.evaluate("window.__sameDocument = true")

    await register(gql, admin, request_of(org, description="再不修好我就找媒体曝光"))
    await settle(platform, stub_worker)
    await expect(table.locator("tr[data-alert]")).to_have_count(2, timeout=20_000)
    await expect(table.locator("tr[data-alert]", has_text="新")).to_contain_text("风险")
    assert await page.evaluate("window.__sameDocument") is True  # no reload
    detail = page.get_by_test_id("alert-detail")
    await expect(detail.get_by_test_id("alert-case")).to_have_count(1)
    await shot(page, "17-alerts-centre")

    first = await detail.locator(".ant-card-head").inner_text()
    await page.keyboard.press("a")
    await expect(detail).to_have_attribute("data-alert-state", "acknowledged")
    await expect(detail).to_contain_text(re.compile(r"签收.*· hq"))  # the acknowledger's name
    await page.keyboard.press("j")
    await expect(detail.locator(".ant-card-head")).not_to_have_text(first)
    await page.keyboard.press("r")
    note = detail.get_by_label("处置说明")
    await expect(note).to_be_focused()
    await page.keyboard.press("Control+Enter")  # the note is required
    await expect(detail.get_by_test_id("alert-action-error")).to_contain_text("请填写处置说明")
    await note.fill("已致电业主致歉，安排工程部明早九点上门")
    await page.keyboard.press("Control+Enter")
    await expect(detail).to_have_attribute("data-alert-state", "resolved")
    await expect(detail).to_contain_text("已致电业主致歉")
    await shot(page, "18-alerts-centre-resolved")

    await page.get_by_title("已处置").click()
    await expect(table.locator("tr[data-alert]")).to_have_count(1)
    await expect(page).to_have_url(re.compile(r"state=resolved"))


async def test_board_shows_a_cluster_of_one_building_and_the_new_figures_without_reload(page, org, owner_engine, gql, platform,
                                                                                       stub_worker):
    await sign_in(page, org.slug, "admin", PASSWORD)
    await page.goto("/hq")
    row = page.get_by_test_id("hq-table").locator("[data-project=P1]")
    await expect(row.get_by_test_id("open-count")).to_have_text("0")
    await expect(page.get_by_test_id("live-state")).to_have_attribute("data-state", "live")
    await page.evaluate("window.__sameDocument = true")

    admin = await gql.login(org)
    for unit, resident in await building(owner_engine, org, 6):
        await register(gql, admin, request_of(org, publicArea=None, unitId=unit, reporterResidentId=resident, description="家里停水了"))
    await settle(platform, stub_worker)

    item = page.get_by_test_id("alert-item").first
    await expect(item).to_contain_text("群发诉求", timeout=20_000)
    await expect(item).to_contain_text("7号楼")
    await expect(row.get_by_test_id("open-count")).to_have_text("6", timeout=20_000)
    await expect(row.locator("[data-health]")).to_have_attribute("data-health", "orange")
    assert await page.evaluate("window.__sameDocument") is True  # no reload
    await shot(page, "19-hq-board-cluster")
