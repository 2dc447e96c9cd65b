"""The HQ board at company scale in a real browser: the heat map in place of the table (and back),
a filter kept in the URL, a cell opened from the keyboard into the project drawer with its drill
by kind as bars and as a table, and the monthly scorecards with their trend chart."""

from __future__ import annotations

import re

from playwright.async_api import expect

from api.graphql.types.node import to_global_id
from tests.api.conftest import REGISTER
from tests.api.test_org_overview import settle
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD, add_user
from workers.score_sweep import sweep


async def register(gql, token, project, kind, category, description):
    case = {"projectId": project, "kind": kind, "channel": "PHONE", "category": category, "publicArea": "3栋大堂",
            "description": description}
    body = await gql(REGISTER, {"i": case}, token=token)
    assert body["data"]["registerCase"]["errors"] == [], body


async def test_heat_map_filter_drill_and_scorecards(page, org, gql, platform, stub_worker):
    token = await gql.login(org)
    p1, p2 = (to_global_id("Project", org.projects[c]) for c in ("P1", "P2"))
    await register(gql, token, p1, "REPAIR", "public_area", "大堂灯不亮，请派电工")
    await register(gql, token, p1, "INQUIRY", "public_area", "咨询停车月卡办理")
    await register(gql, token, p2, "REPAIR", "public_area", "电梯按钮失灵")
    await settle(platform, stub_worker)
    await sweep(platform)  # the scanner's evaluation: scores, standard scores and ranks on the board

    await sign_in(page, org.slug, "admin", PASSWORD)
    await page.goto("/hq")
    await expect(page.get_by_test_id("hq-table").locator("[data-project=P1]")).to_be_visible()
    await page.get_by_test_id("view-toggle").get_by_text("热力图").click()
    await expect(page).to_have_url(re.compile(r"view=map"))
    board = page.get_by_test_id("board")
    await expect(board).to_have_attribute("data-rendered", "2")
    await expect(page.get_by_test_id("score-bars-top")).to_have_attribute("aria-label", re.compile(r"标准分.*项目[12].*项目[12]"))
    await page.wait_for_timeout(1500)
    await shot(page, "30-hq-heatmap")

    # A text filter goes into the URL and survives a reload; one cell is left.
    await page.get_by_label("筛选项目").fill("项目2")
    await page.get_by_label("筛选项目").press("Enter")
    await expect(page).to_have_url(re.compile(r"q=%E9%A1%B9%E7%9B%AE2"))
    await page.reload()
    await expect(page.get_by_test_id("board")).to_have_attribute("data-rendered", "1")
    await expect(page.get_by_label("筛选项目")).to_have_value("项目2")
    await page.goto("/hq?view=map&colour=red")  # a colour from the URL: no project is red
    await expect(page.get_by_test_id("board")).to_contain_text("没有符合筛选条件的项目")
    await expect(page.get_by_test_id("filter-colour")).to_contain_text("红")
    await page.goto("/hq?view=map&metric=responseRate")
    await expect(page.get_by_test_id("board")).to_have_attribute("data-rendered", "2")
    await shot(page, "31-hq-heatmap-response-rate")

    # The keyboard reaches a cell: arrows move, Enter opens the project's drawer.
    heatmap = page.get_by_test_id("hq-heatmap")
    await heatmap.focus()
    await page.keyboard.press("ArrowRight")
    await expect(page.get_by_test_id("heatmap-cursor")).to_contain_text("项目")
    name = (await page.get_by_test_id("heatmap-cursor").text_content()).split()[0]
    await page.keyboard.press("Enter")
    drawer = page.get_by_role("dialog")
    await expect(drawer).to_contain_text(name)
    await expect(drawer.get_by_test_id("month-bars")).to_be_visible()
    await expect(drawer.get_by_test_id("series-chart")).to_be_visible()
    await page.wait_for_timeout(400)  # the drawer's slide-in, for the picture
    await shot(page, "32-hq-drawer-trends")
    await drawer.get_by_role("tab", name=re.compile("钻取")).click()
    await drawer.get_by_test_id("drill-by").get_by_text("类型").click()
    await expect(drawer.get_by_test_id("breakdown-bars")).to_be_visible()
    await drawer.get_by_text("表", exact=True).click()
    table = drawer.get_by_test_id("breakdown-table")
    await expect(table).to_contain_text("报修")
    if name == "项目1":
        await expect(table).to_contain_text("咨询")
    await page.wait_for_timeout(400)  # the drawer's slide-in, for the picture
    await shot(page, "33-hq-drawer-drill")
    await drawer.get_by_role("tab", name=re.compile("超时工单")).click()
    await expect(drawer.get_by_text("没有超时工单").or_(drawer.get_by_test_id("overdue-list"))).to_be_visible()
    await page.keyboard.press("Escape")

    await page.get_by_role("menuitem", name=re.compile("月度考评")).click()
    await expect(page).to_have_url(re.compile(r"/scorecards"))
    cards = page.get_by_test_id("scorecards-table")
    await expect(cards.locator("[data-project=P1]")).to_contain_text("项目1")
    await expect(cards.locator("[data-project=P2]")).to_contain_text("项目2")
    await expect(page.get_by_test_id("score-trend")).to_be_visible()
    await shot(page, "34-scorecards")


async def test_scorecards_are_not_offered_to_a_project_manager(page, org, owner_engine):
    await add_user(owner_engine, org, "pm", "project_manager", "P2")
    await sign_in(page, org.slug, "pm", PASSWORD)
    await expect(page.get_by_role("menu").get_by_role("menuitem", name=re.compile("工作台"))).to_be_visible()
    await expect(page.get_by_role("menu").get_by_role("menuitem", name=re.compile("月度考评"))).to_have_count(0)
    await page.goto("/scorecards")  # typed in: the API refuses a ranking of projects beyond their own
    await expect(page.get_by_test_id("error-banner").first).to_contain_text("FORBIDDEN")
    await shot(page, "35-scorecards-forbidden")
