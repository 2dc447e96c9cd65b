"""转办·12345·决策反馈 in a real browser: a supervisor records an outside body's acknowledgement and
prints the referral letter, answers a 12345 order back, reports a recurring out-of-remit problem
and moves it on; the case page shows its written reply (printed, delivered), its referrals and
HQ's review; headquarters, without the permission to refer or answer, is not offered those acts."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.async_api import Page, expect
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api._gov import ANSWER, add_bridge, order, post
from tests.api.test_decision_feedback import REPORT
from tests.api.test_outside_bodies import add_body
from tests.api.test_referrals import committed_case, refer
from tests.api.test_reviews_bulletins import REVIEW, review_input
from tests.browser.conftest import shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_unit, add_user


async def world(gql, client, owner_engine, org) -> dict:
    """P1 with a letter-delivered 街道办, three cases referred to it, two 12345 orders — one returned
    to the same body (its case declined with a written reply) — and HQ's review of a referred case."""
    unit, _ = await add_unit(owner_engine, org, "P1")
    agent = await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    sup = await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
    await add_user(owner_engine, org, "hq", "hq_supervisor", None)
    project = to_global_id("Project", org.projects["P1"])
    desk = {"project": project, "unit": to_global_id("Unit", unit), "agent": (to_global_id("User", agent), await gql.login(org, "agent"))}
    sup_token, admin = await gql.login(org, "sup"), await gql.login(org)

    body = (await add_body(gql, sup_token, project, name="长宁街道办"))["body"]
    cases = [await committed_case(gql, desk) for _ in range(3)]
    for c in cases:
        assert (await refer(gql, sup_token, c["id"], body["id"]))["errors"] == []

    bridge = await add_bridge(gql, admin, project, to_global_id("User", sup), "http://127.0.0.1:9/cb")
    for number in ("BJ12345-0001", "BJ12345-0002"):
        assert (await post(client, bridge, order(number))).status_code == 200
    orders = (await gql("{ govOrders { id orderNumber case { id } } }", token=sup_token))["data"]["govOrders"]
    returned = next(o for o in orders if o["orderNumber"] == "BJ12345-0002")
    answer = {"o": returned["id"], "kind": "RETURNED", "r": "路灯归街道管理，不属于物业职责", "b": body["id"]}
    out = await gql(ANSWER, answer, token=sup_token)
    assert out["data"]["answerGovOrder"]["errors"] == [], out
    async with owner_engine.begin() as conn:  # the government judged the return
        await conn.execute(text("UPDATE gov_orders SET evaluation = 'dissatisfied', evaluated_at = now() "
                                "WHERE org_id = :o AND order_number = 'BJ12345-0002'"), {"o": org.org_id})
    review = await gql(REVIEW, {"i": review_input(cases[0]["id"])}, token=admin)
    assert review["data"]["reviewCase"]["errors"] == [], review
    return {"referred_case": cases[0]["id"], "declined_case": returned["case"]["id"], "desk": desk, "sup": sup_token, "body": body["id"]}


async def open_tab(page: Page, name: str) -> None:
    await page.get_by_role("tab", name=re.compile(name)).click()


async def test_a_supervisor_acts_on_referrals_12345_orders_and_decision_feedback(page, org, owner_engine, gql, client):
    w = await world(gql, client, owner_engine, org)
    await sign_in(page, org.slug, "sup", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("转办·12345")).click()

    rows = page.get_by_test_id("referral-rows").locator("tbody tr")
    await expect(rows).to_have_count(3)
    await page.wait_for_timeout(500)  # the page's caseUpdates subscription reaches the server
    fourth = await committed_case(gql, w["desk"])
    assert (await refer(gql, w["sup"], fourth["id"], w["body"]))["errors"] == []
    await expect(rows).to_have_count(4)  # case.referred refetched the list, no reload
    await expect(rows.first.get_by_test_id("referral-due")).to_contain_text(re.compile(r"反馈 剩\d"))
    await shot(page, "60-referrals")
    await rows.first.click()
    drawer = page.get_by_test_id("referral-detail")
    await expect(drawer).to_contain_text("项目1")  # the referral's own project
    await drawer.get_by_label("签收说明").fill("已收到，安排工作人员核查")
    await drawer.get_by_test_id("referral-feedback-submit").click()
    await expect(drawer.get_by_test_id("referral-feedback").get_by_role("radio", name="签收")).to_be_disabled()
    await expect(rows.first.get_by_test_id("referral-status")).to_contain_text("已签收")
    async with page.context.expect_page() as opened:
        await drawer.get_by_test_id("referral-print").click()
    letter = await opened.value
    await expect(letter.locator("body")).to_contain_text("长宁街道办")
    await letter.close()  # a page left in front keeps the console's animations from running
    await drawer.get_by_test_id("referral-printed").click()
    await expect(drawer.get_by_test_id("referral-printed")).to_have_count(0)  # nothing left waiting on paper
    await shot(page, "61-referral-acknowledged")
    await page.keyboard.press("Escape")

    await open_tab(page, "12345")
    await expect(page.get_by_test_id("gov-rates")).to_contain_text("响应率")
    orders = page.get_by_test_id("gov-rows").locator("tbody tr")
    await expect(orders).to_have_count(2)
    waiting = orders.filter(has_text="BJ12345-0001")
    await expect(waiting.get_by_test_id("gov-response-due")).to_contain_text(re.compile(r"签收 剩"))
    await expect(orders.filter(has_text="BJ12345-0002").get_by_test_id("gov-status")).to_contain_text("已退单")
    await shot(page, "62-gov-orders")
    await waiting.click()
    answer = page.get_by_test_id("gov-answer")
    await expect(answer.get_by_role("radio", name="办结结果")).to_be_disabled()  # the case is not resolved yet
    await answer.get_by_label("回复内容").fill("已安排电工今日17:00前到场更换灯具")
    await page.keyboard.press("Control+Enter")
    await expect(waiting.get_by_test_id("gov-status")).to_contain_text("已签收")
    await expect(waiting.get_by_test_id("gov-response-due")).to_contain_text("签收 ✓ 按时")
    await expect(page.get_by_test_id("gov-detail")).to_contain_text("已安排电工")
    await page.wait_for_timeout(400)  # the drawer's slide-in, for the picture
    await shot(page, "63-gov-order-answered")
    await page.keyboard.press("Escape")
    await orders.filter(has_text="BJ12345-0002").click()
    await expect(page.get_by_test_id("gov-detail")).to_contain_text("不满意 Dissatisfied")  # the API's label
    await page.keyboard.press("Escape")

    await open_tab(page, "决策反馈")
    candidate = page.get_by_test_id("feedback-candidates").locator("tbody tr").filter(has_text="长宁街道办")
    await expect(candidate).to_contain_text(re.compile(r"5\s*转办4 · 退回1"))
    await candidate.get_by_test_id("feedback-candidate-report").click()
    report = page.get_by_test_id("feedback-report")
    await report.get_by_label("反映内容").fill("本月4起路灯和公共区域问题均属街道职责，请街道统一排查维修")
    await report.get_by_test_id("feedback-report-submit").click()
    board = page.get_by_test_id("feedback-board")
    item = board.locator("[data-column=REPORTED]").get_by_test_id("feedback-item")
    await expect(item).to_contain_text("长宁街道办")
    await expect(candidate).to_contain_text("已上报")
    await item.get_by_test_id("feedback-advance").click()
    await item.get_by_label("进展依据").fill("街道办回函：已列入本月排查计划")
    await item.get_by_test_id("feedback-advance-submit").click()
    moved = board.locator("[data-column=ACKNOWLEDGED]").get_by_test_id("feedback-item")
    await expect(moved).to_contain_text("街道办回函")
    await expect(page.get_by_test_id("feedback-summary")).to_contain_text("已确认1")
    await shot(page, "64-decision-feedback")


async def test_case_panels_and_headquarters_not_offered_what_it_may_not_do(page, org, owner_engine, gql, client):
    w = ids = await world(gql, client, owner_engine, org)
    await sign_in(page, org.slug, "sup", PASSWORD)
    await page.goto(f"/cases/{ids['declined_case']}")
    replies = page.get_by_test_id("written-replies")
    await expect(replies).to_contain_text("路灯归街道管理")
    async with page.context.expect_page() as opened:
        await replies.get_by_test_id("reply-print").click()
    printed = await opened.value
    await expect(printed.locator("body")).to_contain_text("路灯归街道管理")
    await shot(printed, "68-written-reply-print")
    await printed.close()
    await replies.get_by_test_id("reply-delivery-open").click()
    await replies.get_by_label("签收人").fill("业主本人")
    await replies.get_by_test_id("reply-delivery-submit").click()
    await expect(replies.get_by_test_id("reply-delivered")).to_contain_text("业主本人")
    await expect(replies.get_by_test_id("reply-delivered")).to_contain_text("登记：sup")  # who recorded it, by name
    await replies.get_by_test_id("reply-revise-open").click()
    await replies.get_by_label("替代方案").fill("可拨打街道服务热线 62000000 报修路灯")
    await replies.get_by_test_id("reply-revise-submit").click()
    await expect(replies.locator("[data-testid=written-reply][data-version='2']")).to_contain_text("62000000")
    await shot(page, "65-case-written-reply")
    await page.reload()
    timeline = page.get_by_test_id("case-timeline")
    await expect(timeline).to_contain_text("书面答复送达")
    await expect(timeline).to_contain_text("修订书面答复")
    await expect(timeline).not_to_contain_text("case.")  # every step named, none shown as its topic

    await page.goto(f"/cases/{ids['referred_case']}")
    await expect(page.get_by_test_id("case-referrals")).to_contain_text("长宁街道办")
    await expect(page.get_by_test_id("case-referral-due")).to_contain_text(re.compile("反馈 剩"))
    await expect(page.get_by_test_id("case-review")).to_contain_text("首问负责到底")
    await shot(page, "66-case-referrals-review")

    await sign_out(page)
    await sign_in(page, org.slug, "hq", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("转办·12345")).click()
    await page.get_by_test_id("referral-rows").locator("tbody tr").first.click()
    drawer = page.get_by_test_id("referral-detail")
    await expect(drawer).to_contain_text("只能查看")
    await expect(drawer.get_by_test_id("referral-feedback")).to_have_count(0)
    await expect(drawer.get_by_test_id("referral-withdraw")).to_have_count(0)
    await expect(drawer.get_by_test_id("referral-print")).to_be_visible()  # reading and printing stay open
    await page.keyboard.press("Escape")
    await open_tab(page, "12345")
    await page.get_by_test_id("gov-rows").locator("tbody tr").filter(has_text="BJ12345-0001").click()
    await expect(page.get_by_test_id("gov-detail")).to_contain_text("只能查看")
    await expect(page.get_by_test_id("gov-answer")).to_have_count(0)
    await page.wait_for_timeout(400)
    await shot(page, "67-gov-order-read-only")
    await page.keyboard.press("Escape")
    await open_tab(page, "决策反馈")
    await expect(page.get_by_test_id("feedback-tab")).to_contain_text("还没有上报的事项")
    await page.get_by_test_id("feedback-candidate-report").click()  # headquarters may report
    report = page.get_by_test_id("feedback-report")
    await report.get_by_label("反映内容").fill("路灯问题反复出现，请街道统一排查")
    month = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    first = await gql(REPORT, {"i": {"projectId": w["desk"]["project"], "month": month, "categoryCode": "public_area",
                                     "bodyId": w["body"], "title": "路灯", "summary": "项目先报了"}}, token=w["sup"])
    assert first["data"]["reportDecisionFeedback"]["errors"] == [], first
    await report.get_by_test_id("feedback-report-submit").click()
    await expect(report.get_by_test_id("form-error")).to_contain_text("CONFLICT")  # the API's word, where the user acted
    await page.wait_for_timeout(300)
    await shot(page, "70-decision-feedback-conflict")
    await page.keyboard.press("Escape")
    await open_tab(page, "转办")
    await page.get_by_text("已撤回", exact=True).click()
    await expect(page.get_by_test_id("referrals-tab")).to_contain_text("没有此状态的转办")
    await page.wait_for_timeout(300)  # the tab's underline settles, for the picture
    await shot(page, "69-referrals-empty")
    await page.goto(f"/cases/{ids['declined_case']}")
    await expect(page.get_by_test_id("written-replies")).to_be_visible()
    await expect(page.get_by_test_id("reply-revise-open")).to_have_count(0)
