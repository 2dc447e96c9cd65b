"""结清多收 in a real browser (docs/resident-services.md, "As built — resident-service gaps"): an
integrator pays more than flat 101 owes; a CS agent (fee:collect) opens the flat's 收款 tab, sees the
payment tagged 多收 with its credit, settles it as 退款 with a note, and sees it 已结清 with the
credit gone and the refund listed; a dispatcher (fee:read only) sees the tag but no 结清. The
server holds the refund and the lifted mark. A project manager's 催缴设置 lists the project's
bridge without channel:manage."""

from __future__ import annotations

import re

from playwright.async_api import expect

from api.graphql.types.node import to_global_id
from tests.api.test_payment_inbound import paid, post
from tests.browser.conftest import shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user
from tests.integration.fees_setup import add_flats, add_item
from tests.workers.test_delivery import ADD as ADD_CHANNEL, SECRET

GENERATE = """mutation($p: ID!, $i: ID!) { generateBills(input: {projectId: $p, fromMonth: "2026-01-01", toMonth: "2026-06-01",
  chargeItemIds: [$i]}) { billRun { created } errors { code message } } }"""
INTEGRATE = """mutation($p: ID!) { addPaymentIntegration(projectId: $p, name: "业主App支付") {
  integration { id inboundPath } secret errors { code } } }"""
PAYMENT = "query($id: ID!) { node(id: $id) { ... on Payment { problem unallocated clearance { resolution refundId } } } }"


async def test_an_agent_settles_an_overpaid_payment(page, org, owner_engine, platform, gql, client):
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await add_user(owner_engine, org, "disp", "dispatcher", "P1")
    await add_user(owner_engine, org, "pm", "project_manager", "P1")
    flats = await add_flats(owner_engine, org, "P1", [90.0, 90.0])
    item = await add_item(platform, org)  # 211.50 a flat a month
    admin, p1 = await gql.login(org), to_global_id("Project", org.projects["P1"])
    run = (await gql(GENERATE, {"p": p1, "i": to_global_id("ChargeItem", item)}, token=admin))["data"]["generateBills"]
    assert run["billRun"] == {"created": 12}, run
    added = (await gql(INTEGRATE, {"p": p1}, token=admin))["data"]["addPaymentIntegration"]
    integration = {**added["integration"], "secret": added["secret"]}
    unit = to_global_id("Unit", flats[0])
    answer = (await post(client, integration, paid(unit, 130000, "tx-browser"))).json()  # 1,269.00 owed: 31.00 over
    assert answer["problem"] == "OVERPAID" and answer["unallocated_fen"] == 3100, answer

    await sign_in(page, org.slug, "disp", PASSWORD)
    await page.goto(f"/fees?tab=collect&unit={unit}")
    await expect(page.get_by_test_id("fee-overpaid")).to_have_text("多收")
    await expect(page.get_by_test_id("fee-clear")).to_have_count(0)  # reads fees only
    await sign_out(page)

    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.goto(f"/fees?tab=collect&unit={unit}")
    payments = page.get_by_test_id("fee-payments")
    await expect(payments.locator("tbody tr.ant-table-row")).to_have_count(1)
    await page.get_by_test_id("fee-clear").click()
    await expect(page.get_by_test_id("fee-clear-form")).to_contain_text("31.00")
    await page.get_by_label("结清备注").fill("已退现金")
    await shot(page, "fees-overpaid-settle")
    await page.get_by_test_id("fee-clear-confirm").click()
    await expect(page.get_by_test_id("fee-cleared")).to_have_text("已结清：已退款")
    await expect(page.get_by_test_id("fee-overpaid")).to_have_count(0)
    await expect(payments.locator("tbody tr.ant-table-row")).to_have_count(2)  # the payment and its refund
    await expect(payments).to_contain_text(f"{answer['receipt_no']}-TK1")
    await expect(page.get_by_test_id("fee-account")).to_contain_text("¥0.00")
    await shot(page, "fees-overpaid-settled")
    await sign_out(page)

    node = (await gql(PAYMENT, {"id": answer["payment_id"]}, token=admin))["data"]["node"]
    assert (node["problem"], node["unallocated"], node["clearance"]["resolution"]) == (None, 0, "REFUND")
    assert node["clearance"]["refundId"] is not None

    # 催缴设置: a project manager (no channel:manage) picks the project's bridge from reminderChannels.
    hook = {"kind": "WEBHOOK", "name": "短信桥", "target": "https://bridge.example.com/h", "secret": SECRET,
            "topics": ["fee.reminders"]}
    assert (await gql(ADD_CHANNEL, {"i": hook}, token=admin))["data"]["addDeliveryChannel"]["errors"] == []
    await sign_in(page, org.slug, "pm", PASSWORD)
    await page.goto("/fees?tab=reminders")
    await page.get_by_test_id("schedule-new").click()
    await page.get_by_test_id("schedule-channels").click()
    await expect(page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="短信桥")).to_have_count(1)
    await expect(page.get_by_text(re.compile("无法列出催缴渠道"))).to_have_count(0)
