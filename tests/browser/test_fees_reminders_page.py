"""催缴, 试算's skipped flats and 支付对接 in a real browser (docs/resident-services.md §6.4, §6.6, §11):
two flats owing six months and a third without an area. A CS agent records a visit on one arrears
row and holds its reminders, sees both on the row (and the server holds them), then resumes; the
agent is offered neither 催缴设置 nor 支付对接. A project manager's dry run lists the flat without an
area, linked to the archive, adds a payment integration whose secret is shown once, and adds a
reminder schedule."""

from __future__ import annotations

import asyncio
import re

import openpyxl
from playwright.async_api import expect

from api.graphql.types.node import to_global_id
from domain.archive.accuracy import beijing_today
from tests.browser.conftest import shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user
from tests.integration.fees_setup import add_flats, add_item

GENERATE = """mutation($p: ID!, $i: ID!) { generateBills(input: {projectId: $p, fromMonth: "2026-01-01", toMonth: "2026-06-01",
  chargeItemIds: [$i]}) { billRun { created } errors { code message } } }"""
HOLD = "query($u: ID!) { feeHold(unitId: $u) { reason until } feeReminders(unitId: $u) { way note } }"
SETTINGS = """query($p: ID!) { feeSettings(projectId: $p) { quietFrom quietUntil reminderCapPerMonth }
  reminderSchedules(projectId: $p) { name minOverdueDays everyDays toApp active } }"""
INTEGRATIONS = "query($p: ID!) { paymentIntegrations(projectId: $p) { name active } }"


async def test_reminders_holds_skipped_flats_and_an_integration(page, org, owner_engine, platform, gql, tmp_path):
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await add_user(owner_engine, org, "pm", "project_manager", "P1")
    flats = await add_flats(owner_engine, org, "P1", [90.0, 90.0, None])
    item = await add_item(platform, org)
    project = to_global_id("Project", org.projects["P1"])
    admin = await gql.login(org)
    run = (await gql(GENERATE, {"p": project, "i": to_global_id("ChargeItem", item)}, token=admin))["data"]["generateBills"]
    assert run["billRun"] == {"created": 12}, run

    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.goto("/fees")
    row = page.get_by_test_id("arrears-table").locator("tbody tr.ant-table-row").filter(has_text="101")
    await expect(row.get_by_test_id("arrears-reminder-state")).to_contain_text("未催缴")
    await expect(page.get_by_role("tab", name=re.compile("催缴设置"))).to_have_count(0)
    await expect(page.get_by_role("tab", name=re.compile("支付对接"))).to_have_count(0)
    async with page.expect_download() as info:
        await page.get_by_test_id("arrears-export").click()
    download = await info.value
    assert re.fullmatch(r"欠费-P1-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename), download.suggested_filename
    await download.save_as(tmp_path / "arrears.xlsx")
    book = openpyxl.load_workbook(tmp_path / "arrears.xlsx", read_only=True)
    owing = [r for r in book.worksheets[0].iter_rows(values_only=True) if any(isinstance(c, str) and c.endswith(("101", "102")) for c in r)]
    assert len(owing) == 2, owing

    await row.get_by_test_id("arrears-remind-menu").click()
    await page.get_by_test_id("arrears-remind").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_text("上门", exact=True).click()
    await dialog.get_by_label("备注").fill("业主答应月底前缴清")
    await page.get_by_test_id("reminder-save").click()
    await expect(dialog).to_have_count(0)
    await expect(row.get_by_test_id("arrears-reminder-state")).to_contain_text(f"上门 {beijing_today().isoformat()}")

    await row.get_by_test_id("arrears-remind-menu").click()
    await page.get_by_test_id("arrears-hold").click()
    await expect(page.get_by_test_id("reminder-history")).to_contain_text("业主答应月底前缴清")
    await page.get_by_role("dialog").get_by_label("暂停原因").fill("协商中")
    await page.wait_for_timeout(400)  # the dialog's opening animation
    await shot(page, "fees-hold-dialog")
    await page.get_by_test_id("reminder-save").click()
    await expect(row.get_by_test_id("arrears-reminder-state")).to_contain_text("暂停至")
    await expect(page.get_by_role("dialog")).to_have_count(0)
    await page.wait_for_timeout(300)  # the dialog's closing animation
    await shot(page, "fees-reminders")
    unit = to_global_id("Unit", flats[0])
    held = (await gql(HOLD, {"u": unit}, token=admin))["data"]
    assert held["feeHold"]["reason"] == "协商中", held
    assert held["feeReminders"] == [{"way": "VISIT", "note": "业主答应月底前缴清"}], held

    await row.get_by_test_id("arrears-remind-menu").click()
    await page.get_by_test_id("arrears-release").click()
    await page.get_by_test_id("arrears-release-confirm").click()
    await expect(row.get_by_test_id("arrears-reminder-state")).not_to_contain_text("暂停至")
    await row.get_by_test_id("arrears-remind-menu").click()
    await expect(page.get_by_test_id("arrears-hold")).to_be_visible()
    await page.keyboard.press("Escape")
    assert (await gql(HOLD, {"u": unit}, token=admin))["data"]["feeHold"] is None
    await sign_out(page)

    await sign_in(page, org.slug, "pm", PASSWORD)
    await page.goto("/fees?tab=items")
    await page.get_by_test_id("fee-generate-items").click()
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="WYF 费").click()
    await page.keyboard.press("Escape")
    await page.get_by_test_id("fee-dry-run").click()
    skipped = page.get_by_test_id("fee-skipped")
    await expect(skipped.locator("tbody tr.ant-table-row")).to_have_count(1)
    await expect(skipped).to_contain_text("103")
    await shot(page, "fees-dry-run-skipped")
    await skipped.get_by_test_id("fee-skipped-link").click()
    await expect(page).to_have_url(re.compile(r"/archive\?"))
    await expect(page.get_by_role("dialog")).to_contain_text("103")

    await page.goto("/fees")
    await page.get_by_test_id("fees-opening-import").click()
    await expect(page.get_by_test_id("import-title")).to_contain_text("期初欠费导入")
    await expect(page.get_by_test_id("import-kind-help")).to_be_visible()
    await shot(page, "fees-opening-import")

    await page.goto("/fees?tab=integrations")
    await expect(page.get_by_test_id("integration-help")).to_contain_text("docs/owner-app.md")
    await page.get_by_test_id("integration-name").fill("业主App微信支付")
    await page.get_by_test_id("integration-add").click()
    await expect(page.get_by_test_id("secret")).to_have_text(re.compile(r"\S{20,}"))
    await expect(page.get_by_role("dialog")).to_contain_text("只显示这一次")
    await shot(page, "fees-integration-secret")
    await page.get_by_test_id("secret-close").click()
    await expect(page.get_by_test_id("secret")).to_have_count(0)
    await expect(page.get_by_test_id("integrations")).to_contain_text("业主App微信支付")
    await expect(page.get_by_test_id("integrations")).to_contain_text("/inbound/payments/")
    listed = (await gql(INTEGRATIONS, {"p": project}, token=admin))["data"]["paymentIntegrations"]
    assert listed == [{"name": "业主App微信支付", "active": True}], listed
    await shot(page, "fees-integrations")

    await page.get_by_role("tab", name=re.compile("催缴设置")).click()
    await page.get_by_test_id("schedule-new").click()
    drawer = page.get_by_role("dialog")
    await drawer.get_by_label("名称").fill("逾期一个月提醒")
    await page.wait_for_timeout(400)  # the drawer's opening animation
    await shot(page, "fees-schedule-drawer")
    await page.get_by_test_id("schedule-save").click()
    await expect(page.get_by_test_id("schedules")).to_contain_text("逾期一个月提醒")
    await expect(page.get_by_test_id("schedules")).to_contain_text("业主App")
    await shot(page, "fees-reminder-settings")
    await page.get_by_label("每户每月最多").fill("4")
    await page.get_by_test_id("fee-settings-save").click()
    await expect(page.get_by_test_id("fee-settings").get_by_role("alert")).to_have_count(0)
    async with asyncio.timeout(10):
        while (got := (await gql(SETTINGS, {"p": project}, token=admin))["data"])["feeSettings"]["reminderCapPerMonth"] != 4:
            await asyncio.sleep(0.2)
    schedule = {"name": "逾期一个月提醒", "minOverdueDays": 30, "everyDays": 7, "toApp": True, "active": True}
    assert got["reminderSchedules"] == [schedule], got
