"""The case page's ways out in a real browser: an agent asks to decline, a supervisor approves it
with a written reply offering an alternative and prints the letter; another case's decline is
denied, nobody can be sent to it, and it is referred to an outside body. What 下一步 offers is the
API's Case.availableActions."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from api.graphql.types.node import to_global_id
from tests.api.conftest import REGISTER
from tests.browser.conftest import shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user

COMMIT = "mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }"
REQUEST = "mutation($c: ID!, $r: String!) { requestDecline(caseId: $c, reason: $r) { errors { code } } }"
BODY = "mutation($i: OutsideBodyInput!) { addOutsideBody(input: $i) { body { id } errors { code } } }"


async def committed_case(gql, org, token: str, description: str) -> str:
    body = await gql(REGISTER, {"i": {"projectId": to_global_id("Project", org.projects["P1"]), "kind": "REQUEST", "channel": "PHONE",
                                      "category": "public_area", "publicArea": "1栋大堂", "description": description}}, token=token)
    case_id = body["data"]["registerCase"]["case"]["id"]
    assert (await gql(COMMIT, {"c": case_id}, token=token))["data"]["commitCase"]["errors"] == []
    return case_id


async def open_action(page: Page, action: str, title: str):
    await page.get_by_test_id("next-steps").locator(f"[data-action={action}]").click()
    drawer = page.get_by_test_id("action-drawer")
    await expect(drawer).to_contain_text(title)
    return drawer


async def picture(page: Page, name: str) -> None:
    await page.wait_for_timeout(300)  # the drawer's slide-in, for the picture
    await shot(page, name)


async def test_decline_approved_with_its_letter_then_denied_and_referred(page, org, owner_engine, gql):
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
    admin = await gql.login(org)
    moving = await committed_case(gql, org, admin, "业主要求物业帮忙搬运家具到新房")
    shed = await committed_case(gql, org, admin, "楼顶有人私搭彩钢棚")
    body = await gql(BODY, {"i": {"projectId": to_global_id("Project", org.projects["P1"]), "kind": "LAW_ENFORCEMENT",
                                  "name": "长宁城管中队", "delivery": "LETTER", "address": "长宁路8号"}}, token=admin)
    assert body["data"]["addOutsideBody"]["errors"] == [], body
    denied = await gql(REQUEST, {"c": shed, "r": "违建不归物业处理"}, token=await gql.login(org, "agent"))
    assert denied["data"]["requestDecline"]["errors"] == []

    # The agent cannot refuse: they ask a supervisor, and then have nothing left to do on it.
    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.goto(f"/cases/{moving}")
    steps = page.get_by_test_id("next-steps")
    await expect(steps.locator("[data-action=requestDecline]")).to_be_visible()
    for lacking in ("approveDecline", "denyDecline", "refer", "accept"):
        await expect(steps.locator(f"[data-action={lacking}]")).to_have_count(0)
    drawer = await open_action(page, "requestDecline", "申请婉拒")
    await drawer.get_by_label("婉拒原因").fill("搬运家具不在物业服务范围内")
    await picture(page, "30-case-request-decline")
    await page.keyboard.press("Control+Enter")
    await expect(drawer).to_have_count(0)
    await expect(page.get_by_test_id("case-state")).to_contain_text("婉拒待批")
    await expect(steps).to_contain_text("没有可执行的操作")
    await sign_out(page)

    # The supervisor approves with a written reply — an alternative is required — and prints it.
    await sign_in(page, org.slug, "sup", PASSWORD)
    await page.goto(f"/cases/{moving}")
    await expect(page.get_by_test_id("case-timeline")).to_contain_text(re.compile(r"申请婉拒.*agent"))
    drawer = await open_action(page, "approveDecline", "批准婉拒")
    await drawer.get_by_label("婉拒理由").fill("搬运私人物品不属于物业服务合同约定的服务")
    await drawer.get_by_label("依据").fill("《物业服务合同》第十二条")
    await page.keyboard.press("Control+Enter")
    await expect(drawer).to_contain_text("至少提供一条替代方案")
    await drawer.get_by_label("替代方案 1").fill("合作搬家公司可于周六 15:00 上门，收费 200 元")
    await picture(page, "31-case-approve-decline")
    await page.keyboard.press("Control+Enter")
    letter = drawer.get_by_test_id("decline-letter")
    await expect(letter).to_contain_text("第 1 版")
    await expect(page.get_by_test_id("case-state")).to_contain_text("已婉拒")
    await picture(page, "32-case-declined-letter")
    async with page.context.expect_page() as opened:
        await letter.get_by_test_id("decline-letter-print").click()
    printed = await opened.value
    await expect(printed.locator("body")).to_contain_text("搬运私人物品不属于物业服务合同约定的服务")
    await expect(printed.locator("body")).to_contain_text("合作搬家公司")
    await shot(printed, "33-case-decline-letter-print")
    await printed.close()
    await page.keyboard.press("Escape")
    await expect(drawer).to_have_count(0)

    # The other decline is denied: the case is back to be done.
    await page.goto(f"/cases/{shed}")
    drawer = await open_action(page, "denyDecline", "驳回婉拒")
    await drawer.get_by_label("驳回意见").fill("违建须转城管处理，不能直接婉拒")
    await picture(page, "34-case-deny-decline")
    await page.keyboard.press("Control+Enter")
    await expect(drawer).to_have_count(0)
    await expect(page.get_by_test_id("case-state")).to_contain_text("已承诺")

    drawer = await open_action(page, "undispatchable", "无法派单")
    await drawer.get_by_label("原因").fill("工程部无权拆除违建")
    await picture(page, "35-case-undispatchable")
    await page.keyboard.press("Control+Enter")
    await expect(drawer).to_have_count(0)
    await expect(page.get_by_test_id("case-timeline")).to_contain_text("无法派单")

    drawer = await open_action(page, "refer", "转办")
    await drawer.get_by_label("外部单位").click()
    await page.locator(".ant-select-item-option", has_text="长宁城管中队").click()
    await drawer.get_by_label("转办原因").fill("楼顶私搭彩钢棚属违法建设")
    await drawer.get_by_label("请求事项").fill("请上门核查并依法拆除")
    await picture(page, "36-case-refer")
    await page.keyboard.press("Control+Enter")
    await expect(drawer).to_have_count(0)
    await expect(page.get_by_test_id("case-state")).to_contain_text("已转办")
    await expect(page.get_by_test_id("case-timeline")).to_contain_text(re.compile(r"转办.*sup"))
    await shot(page, "37-case-referred")
