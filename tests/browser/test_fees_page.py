"""收费 in a real browser (docs/resident-services.md §6, §11): three flats owing six months of 物业费;
a CS agent reads the arrears list with its ageing, takes a payment for one flat from its row (oldest
first, two months), gets the receipt number, sees the flat's open bills and the arrears list shrink;
the agent, without fee:adjust, is offered no 冲正 and, without fee:manage, no 出账. A project manager
generates a month's bills after a dry run, reverses the payment with a reason and waives a bill."""

from __future__ import annotations

import re

from playwright.async_api import expect

from api.graphql.types.node import to_global_id
from tests.browser.conftest import shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user
from tests.integration.fees_setup import add_flats, add_item

GENERATE = """mutation($p: ID!, $i: ID!) { generateBills(input: {projectId: $p, fromMonth: "2026-01-01", toMonth: "2026-06-01",
  chargeItemIds: [$i]}) { billRun { created total } errors { code message } } }"""


async def test_a_payment_at_the_desk_shrinks_the_arrears(page, org, owner_engine, platform, gql):
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await add_user(owner_engine, org, "pm", "project_manager", "P1")
    await add_flats(owner_engine, org, "P1", [90.0, 90.0, 90.0])
    item = await add_item(platform, org)  # 2.35 元/m²: 211.50 a flat a month, due on the 15th
    run = (await gql(GENERATE, {"p": to_global_id("Project", org.projects["P1"]), "i": to_global_id("ChargeItem", item)},
                     token=await gql.login(org)))["data"]["generateBills"]
    assert run["billRun"] == {"created": 18, "total": 18 * 21150}, run

    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("收费")).click()
    await expect(page.get_by_test_id("arrears-flats")).to_contain_text("3")
    await expect(page.get_by_test_id("arrears-overdue")).to_contain_text("3,807.00")
    row = page.get_by_test_id("arrears-table").locator("tbody tr.ant-table-row").filter(has_text="101")
    await expect(row).to_contain_text("1,269.00")
    await shot(page, "fees-arrears-before")

    await row.get_by_test_id("arrears-collect").click()
    await expect(page.get_by_test_id("fee-outstanding")).to_contain_text("1,269.00")
    await expect(page.get_by_test_id("fee-flat")).to_contain_text("101")
    await expect(page.get_by_test_id("fee-open-bills").locator("tbody tr.ant-table-row")).to_have_count(6)
    await expect(page.get_by_test_id("fee-amount")).to_have_value("1269.00")
    await page.get_by_test_id("fee-amount").fill("423.00")
    await page.get_by_test_id("fee-pay").click()
    await expect(page.get_by_test_id("fee-receipt-no")).to_have_text(re.compile(r"^SJ-P1-\d{8}-\d{4}$"))
    await expect(page.get_by_test_id("fee-receipt")).to_contain_text("2026-01")
    await expect(page.get_by_test_id("fee-outstanding")).to_contain_text("846.00")
    await expect(page.get_by_test_id("fee-open-bills").locator("tbody tr.ant-table-row")).to_have_count(4)
    await expect(page.get_by_test_id("fee-payments").locator("tbody tr.ant-table-row")).to_have_count(1)
    await expect(page.get_by_test_id("fee-reverse")).to_have_count(0)  # an agent holds no fee:adjust
    await shot(page, "fees-payment")

    await page.get_by_role("tab", name=re.compile("欠费")).click()
    await expect(page.get_by_test_id("arrears-overdue")).to_contain_text("3,384.00")
    await expect(page.get_by_test_id("arrears-table").locator("tbody tr.ant-table-row").filter(has_text="101")).to_contain_text("846.00")
    # Ordered by amount, the flat that paid is now last.
    await expect(page.get_by_test_id("arrears-table").locator("tbody tr.ant-table-row").last).to_contain_text("101")
    await page.get_by_role("tab", name=re.compile("收费项目")).click()
    await expect(page.get_by_test_id("fee-items")).to_contain_text("2.3500")
    await expect(page.get_by_test_id("fee-generate")).to_have_count(0)
    await sign_out(page)

    await sign_in(page, org.slug, "pm", PASSWORD)
    await page.goto("/fees?tab=items")
    await page.get_by_test_id("fee-generate-items").click()
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="WYF 费").click()
    await page.keyboard.press("Escape")
    await page.get_by_test_id("fee-dry-run").click()
    await expect(page.get_by_test_id("fee-dry-result")).to_contain_text("3 张")
    await expect(page.get_by_test_id("fee-dry-result")).to_contain_text("634.50")
    await page.get_by_test_id("fee-apply").click()
    await expect(page.get_by_test_id("fee-applied")).to_contain_text("3 张")
    await shot(page, "fees-items")
    await page.get_by_role("tab", name=re.compile("收款")).click()
    await page.get_by_test_id("fee-flat").click()
    await page.keyboard.type("101")
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="101").first.click()
    await expect(page.get_by_test_id("fee-payments").locator("tbody tr.ant-table-row")).to_have_count(1)
    await page.get_by_test_id("fee-reverse").click()
    await page.get_by_label("冲正原因").fill("收错户")
    await page.get_by_test_id("fee-reverse-confirm").click()
    await expect(page.get_by_test_id("fee-payments")).to_contain_text("已冲正")
    await expect(page.get_by_test_id("fee-outstanding")).to_contain_text("1,480.50")
    await shot(page, "fees-reversed")
    # December's bill waived in full with a reason: the flat owes the six overdue months again.
    december = page.get_by_test_id("fee-open-bills").locator("tbody tr.ant-table-row").filter(has_text="2026-12")
    await december.get_by_test_id("fee-adjust-open").click()
    await page.get_by_label("原因").fill("困难户")
    await page.get_by_test_id("fee-adjust-confirm").click()
    await expect(page.get_by_test_id("fee-outstanding")).to_contain_text("1,269.00")
    await expect(page.get_by_test_id("fee-open-bills").locator("tbody tr.ant-table-row")).to_have_count(6)
    # In English the arrears list reads English first, Chinese beside.
    await page.get_by_role("button", name="EN", exact=True).click()
    await page.get_by_role("tab", name=re.compile("Arrears")).click()
    await expect(page.get_by_test_id("arrears-table")).to_contain_text("Oldest due")
    await expect(page.get_by_test_id("arrears-flats")).to_contain_text("3")
    await page.wait_for_timeout(500)  # the tab's switch animation
    await shot(page, "fees-arrears-en")
