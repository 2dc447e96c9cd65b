"""工作台 in a real browser: tab counts (live after a case moves), the server's order by time left,
J/K/Enter, G+digit, C and D into the case's commit and dispatch drawers, / to search, "加载更多" by cursor, and the ? help whose
switch turns single-key shortcuts off."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api.conftest import REGISTER
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD, add_user

CASES = 53  # past one page of 50


async def register(gql, org, token: str, n: int) -> list[str]:
    ids = []
    for i in range(n):
        case = {"projectId": to_global_id("Project", org.projects["P1"]), "kind": "REQUEST", "channel": "PHONE",
                "category": "public_area", "publicArea": f"{i % 9 + 1}栋大堂", "description": f"第{i}件：大堂灯不亮，请派电工"}
        body = await gql(REGISTER, {"i": case}, token=token)
        ids.append(body["data"]["registerCase"]["case"]["id"])
    return ids


async def rows(page: Page) -> list[str]:
    return await page.get_by_test_id("queue-table").locator("tr[data-case]").evaluate_all("rs => rs.map(r => r.dataset.case)")


async def selected(page: Page) -> str | None:
    return await page.locator("tr.fc-selected").get_attribute("data-case")


async def test_queue_tabs_order_keys_and_pages(page, org, owner_engine, gql):
    await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
    token = await gql.login(org, "sup")
    ids = await register(gql, org, token, CASES)
    # Deadlines shuffled against the order of arrival, two minutes apart, five of them past.
    async with owner_engine.begin() as conn:
        await conn.execute(text(
            "UPDATE case_targets t SET due_at = now() + ((n.i * 37) % :k - 5) * interval '2 minutes' + interval '1 minute' "
            "FROM (SELECT id, row_number() OVER (ORDER BY received_at, id) - 1 AS i FROM cases WHERE org_id = :o) n "
            "WHERE t.org_id = :o AND t.case_id = n.id"), {"o": org.org_id, "k": CASES})
        soonest = [to_global_id("Case", r.id) for r in (await conn.execute(text(
            "SELECT case_id AS id FROM case_targets WHERE org_id = :o GROUP BY case_id ORDER BY min(due_at), case_id"),
            {"o": org.org_id}))]

    await sign_in(page, org.slug, "sup", PASSWORD)
    await page.goto("/queue")
    await expect(page.get_by_test_id("count-commit")).to_contain_text(str(CASES))
    await expect(page.get_by_test_id("count-overdue")).to_contain_text("5")
    await expect(page.get_by_text("「我的待办」下没有工单")).to_be_visible()  # the supervisor has nothing assigned
    await shot(page, "40-queue-mine-empty")

    await page.keyboard.press("g")
    await page.keyboard.press("1")  # G 1: 待承诺
    await expect(page).to_have_url(re.compile(r"tab=commit"))
    await expect(page.get_by_role("button", name=re.compile("加载更多"))).to_be_visible()
    assert await rows(page) == soonest[:50] and soonest[:50] != list(reversed(ids))[:50]
    await expect(page.locator("tr[data-case]").first.get_by_test_id("sla-chip")).to_contain_text(re.compile("超"))
    await shot(page, "41-queue-by-time-left")
    await page.get_by_role("button", name=re.compile("加载更多")).click()
    await expect(page.locator("tr[data-case]")).to_have_count(CASES)
    assert await rows(page) == soonest
    await expect(page.get_by_role("button", name=re.compile("加载更多"))).to_have_count(0)

    # J/K move the selection, Enter opens it.
    assert await selected(page) == soonest[0]
    await page.keyboard.press("j")
    await page.keyboard.press("j")
    await page.keyboard.press("k")
    assert await selected(page) == soonest[1]
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(f"/cases/{soonest[1]}$"))
    await expect(page.get_by_test_id("case-state")).to_contain_text("已受理")
    await page.go_back()
    # C opens the selected case with its commit drawer.
    await expect(page.locator("tr.fc-selected")).to_have_count(1)
    await page.keyboard.press("c")
    await expect(page).to_have_url(re.compile(f"/cases/{soonest[0]}$"))
    await expect(page.get_by_test_id("action-drawer")).to_contain_text("承诺")
    await page.wait_for_timeout(400)  # the drawer's slide-in, for the picture
    await shot(page, "42-queue-c-commit-drawer")
    await page.keyboard.press("Escape")

    # Another desk commits a case: the counts follow without a reload.
    await page.goto("/queue?tab=dispatch")
    await expect(page.get_by_test_id("count-dispatch")).to_contain_text("0")
    await expect(page.get_by_test_id("live-state")).to_have_attribute("data-state", "live")
    body = await gql("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", {"c": ids[0]}, token=token)
    assert body["data"]["commitCase"]["errors"] == []
    await expect(page.get_by_test_id("count-dispatch")).to_contain_text("1")
    await expect(page.get_by_test_id("count-commit")).to_contain_text(str(CASES - 1))
    await page.keyboard.press("/")
    await expect(page.get_by_label("搜索工单")).to_be_focused()
    await page.keyboard.type("第0件")
    await page.keyboard.press("Enter")
    await expect(page.locator("tr[data-case]")).to_have_count(1)
    await shot(page, "43-queue-live-counts-search")
    await page.locator("tr[data-case] td").nth(3).click()  # out of the search box, onto the row
    await page.keyboard.press("d")  # D: the committed case with its dispatch drawer
    await expect(page).to_have_url(re.compile(f"/cases/{ids[0]}$"))
    await expect(page.get_by_test_id("action-drawer")).to_contain_text("派单")


async def test_shortcut_help_and_its_switch(page, org, owner_engine):
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.goto("/queue")
    await expect(page.get_by_role("tab", name=re.compile("我的待办"))).to_have_count(0)  # an agent works no cases of their own
    await expect(page.get_by_role("tab", name=re.compile("全部未办结"))).to_have_attribute("aria-selected", "true")
    await page.keyboard.press("?")
    help = page.get_by_test_id("shortcut-help")
    for words in ("工作台", "工单详情", "预警中心", "登记", "G 1…9", "Ctrl+Enter"):
        await expect(help).to_contain_text(words)
    await page.wait_for_timeout(400)  # the modal's zoom-in, for the picture
    await shot(page, "44-shortcut-help")
    await help.get_by_test_id("single-keys").click()
    await page.keyboard.press("Escape")
    await expect(help).to_be_hidden()
    await page.keyboard.press("g")
    await page.keyboard.press("7")
    await page.wait_for_timeout(300)
    await expect(page).not_to_have_url(re.compile("tab=overdue"))  # single keys are off
    assert await page.evaluate("localStorage.getItem('firstcall.singleKeys')") == "off"
    await page.reload()
    await page.get_by_test_id("viewer-name").wait_for()
    await page.keyboard.press("?")  # ? still opens the help, where the switch turns them back on
    await expect(help.get_by_test_id("single-keys")).not_to_be_checked()
    await help.get_by_test_id("single-keys").click()
    await page.keyboard.press("Escape")
    await expect(help).to_be_hidden()
    await page.keyboard.press("g")
    await page.keyboard.press("7")
    await expect(page).to_have_url(re.compile("tab=overdue"))
