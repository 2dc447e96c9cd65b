"""车辆车位, 宠物 and PIPL in a real browser (docs/archive.md §8): an agent adds a parking space for
a flat, registers a vehicle on it and a pet for the resident, adds an emergency contact, finds them
in the archive's tabs (by part of a plate, by 疫苗到期 until the shot is recorded) and in the flat's
drawer with its open case; exports the resident's personal data (the workbook downloaded with the
session's token, read back) and removes the vehicle; a project manager erases the resident,
typing the name to confirm, and the page shows the anonymised record."""

from __future__ import annotations

import re
from datetime import date, timedelta

import openpyxl
from playwright.async_api import Page, expect
from sqlalchemy import text

from tests.browser.conftest import shot, sign_in, sign_out
from tests.browser.test_archive_pages import _case_for, _estate
from tests.conftest import PASSWORD, add_user


async def _pick(page: Page, picker, typed: str, option: str) -> None:
    await picker.click()
    await page.keyboard.type(typed)
    await page.locator(".ant-select-item-option", has_text=option).first.click()


async def test_belongings_export_and_erasure(page, org, owner_engine, settings, gql, tmp_path):
    estate = await _estate(owner_engine, settings, org)
    number = await _case_for(gql, org, estate)
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await add_user(owner_engine, org, "pm", "project_manager", "P1")
    await add_user(owner_engine, org, "hq", "hq_supervisor", None)

    await sign_in(page, org.slug, "agent", PASSWORD)
    # 未登记 is a gap in the archive, not an alarm: dashed and worded, never the SLA's red.
    await page.goto("/archive")
    unaccounted = page.get_by_test_id("flat-grid").locator("[data-state=unaccounted]").first
    await expect(unaccounted).to_contain_text("未登记")
    assert await unaccounted.evaluate("e => getComputedStyle(e).borderStyle") == "dashed"
    assert await unaccounted.evaluate("e => getComputedStyle(e).borderColor") == "rgb(114, 46, 209)"

    # 车辆车位: a space for flat 301, held by 王建国.
    await page.get_by_role("tab", name=re.compile("车辆车位")).click()
    await expect(page.get_by_test_id("space-table")).to_contain_text("没有车位")
    await page.get_by_test_id("new-space").click()
    form = page.get_by_test_id("space-drawer")
    await form.get_by_label("停车区").fill("地下B1")
    await form.get_by_label("车位号").fill("018")
    await _pick(page, form.get_by_test_id("space-unit"), "301", "1号楼 301")
    await _pick(page, form.get_by_test_id("space-holder"), "王", "王建国")
    await form.get_by_test_id("space-drawer-submit").click()
    await expect(form).to_have_count(0)
    spaces = page.get_by_test_id("space-table")
    await expect(spaces).to_contain_text("地下B1")
    await expect(spaces).to_contain_text("王建国")
    await expect(spaces).to_contain_text("1号楼 301")
    await expect(spaces).to_contain_text("空闲")

    # The resident's page: a vehicle on that space, a pet with no shot on record, a contact.
    await page.goto(f"/residents/{estate['owner']}")
    await expect(page.get_by_test_id("resident-title")).to_have_text("王建国")
    await page.get_by_test_id("add-vehicle").click()
    form = page.get_by_test_id("vehicle-drawer")
    await form.get_by_label("车牌号").fill("京A·12345")
    await form.get_by_label("品牌").fill("大众")
    await form.get_by_label("颜色").fill("白")
    await form.get_by_test_id("vehicle-space").click()
    await page.locator(".ant-select-item-option", has_text="地下B1 018 · 本人").click()
    await shot(page, "82a-resident-vehicle-form")
    await form.get_by_test_id("vehicle-drawer-submit").click()
    await expect(form).to_have_count(0)
    vehicles = page.get_by_test_id("resident-vehicles")
    await expect(vehicles).to_contain_text("京A12345")
    await expect(vehicles).to_contain_text("地下B1 018")

    await page.get_by_test_id("add-pet").click()
    form = page.get_by_test_id("pet-drawer")
    await form.get_by_label("名字").fill("旺财")
    await form.get_by_label("品种").fill("柯基")
    await form.get_by_label("犬证号").fill("京犬2024-0815")
    await form.get_by_test_id("pet-drawer-submit").click()
    await expect(form).to_have_count(0)
    pets = page.get_by_test_id("resident-pets")
    await expect(pets).to_contain_text("旺财")
    await expect(pets.get_by_test_id("vaccination-due")).to_have_text("需打疫苗")

    await page.get_by_test_id("add-contact").click()
    form = page.get_by_test_id("contact-drawer")
    await form.get_by_label("类型").click()
    await page.locator(".ant-select-item-option", has_text="紧急联系人").click()
    await form.get_by_label("号码或账号").fill("139 1234 5678")
    await form.get_by_label("说明").fill("女儿")
    await page.keyboard.press("Control+Enter")
    await expect(form).to_have_count(0)
    contacts = page.get_by_test_id("resident-contacts")
    await expect(contacts.get_by_test_id("contact")).to_have_count(1)
    await expect(contacts).to_contain_text("139****5678")
    await expect(contacts).to_contain_text("女儿")
    await shot(page, "82-resident-belongings")

    # The archive's tabs find them: a plate by a part of it, a pet by 疫苗到期 and not among the cats.
    await page.goto("/archive?tab=vehicles")
    await expect(page.get_by_test_id("space-table")).to_contain_text("京A12345")
    await page.get_by_test_id("plate-search").locator("input").fill("a·123")
    await page.keyboard.press("Enter")
    table = page.get_by_test_id("vehicle-table")
    await expect(table.get_by_test_id("vehicle-plate")).to_have_text(["京A12345"])
    await expect(table).to_contain_text("大众 · 白")
    await page.get_by_test_id("plate-search").locator("input").fill("沪B")
    await page.keyboard.press("Enter")
    await expect(table).to_contain_text("没有这个车牌")
    await page.get_by_test_id("plate-search").locator("input").fill("")
    await page.keyboard.press("Enter")
    await expect(table.get_by_test_id("vehicle-plate")).to_have_count(1)
    await page.wait_for_timeout(400)  # the table's loading veil fading, for the picture
    await shot(page, "83-archive-vehicles")
    await page.get_by_role("tab", name=re.compile("宠物")).click()
    pet_table = page.get_by_test_id("pet-table")
    await expect(pet_table.get_by_test_id("pet-name")).to_have_text(["旺财"])
    await page.get_by_test_id("pet-due").click()
    await expect(pet_table.get_by_test_id("pet-name")).to_have_text(["旺财"])
    await shot(page, "84-archive-pets-due")
    await page.get_by_test_id("pet-species").click()
    await page.locator(".ant-select-item-option", has_text="猫").click()
    await expect(pet_table).to_contain_text("没有需打疫苗的宠物")
    # The dog's shot recorded: no longer due.
    await page.goto("/archive?tab=pets")
    await page.get_by_test_id("pet-table").get_by_test_id("edit-pet").click()
    form = page.get_by_test_id("pet-drawer")
    await expect(form.get_by_label("名字")).to_have_value("旺财")
    await form.get_by_test_id("pet-vaccinated").click()
    await page.keyboard.type(f"{date.today() - timedelta(days=1):%Y-%m-%d}")
    await page.keyboard.press("Enter")
    await form.get_by_test_id("pet-drawer-submit").click()
    await expect(form).to_have_count(0)
    pet_table = page.get_by_test_id("pet-table")
    await expect(pet_table).to_contain_text(f"{date.today() - timedelta(days=1):%Y-%m-%d}")
    await expect(pet_table.get_by_test_id("vaccination-due")).to_have_count(0)
    await page.get_by_test_id("pet-due").click()
    await expect(pet_table).to_contain_text("没有需打疫苗的宠物")

    # The flat's drawer: its space with the plate, and its open case.
    await page.get_by_role("tab", name=re.compile("楼栋房屋")).click()
    await page.get_by_test_id("flat-grid").get_by_test_id("flat").filter(has_text="301").click()
    drawer = page.get_by_test_id("unit-drawer")
    await expect(drawer.get_by_test_id("unit-spaces")).to_contain_text("地下B1 018")
    await expect(drawer.get_by_test_id("unit-spaces")).to_contain_text("京A12345")
    await expect(drawer.get_by_test_id("unit-open-cases").get_by_test_id("unit-case")).to_have_text([number])
    await page.wait_for_timeout(300)  # the drawer's slide-in, for the picture
    await shot(page, "85-archive-flat-spaces-and-cases")

    # 导出个人信息: a reason, then the workbook fetched with the token and saved.
    await page.goto(f"/residents/{estate['owner']}")
    await expect(page.get_by_test_id("erase-resident")).to_have_count(0)  # an agent may not erase
    await page.get_by_test_id("export-personal-data").click()
    await page.get_by_test_id("export-reason").get_by_text("住户申请复制").click()
    async with page.expect_download() as info:
        await page.get_by_test_id("export-confirm").click()
    download = await info.value
    assert download.suggested_filename.startswith("个人信息-王建国-") and download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "personal-data.xlsx"
    await download.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["基本信息", "房屋与入住", "联系方式", "车辆", "宠物", "工单", "查看记录"], book.sheetnames
    cells = {name: [[c for c in row if c is not None] for row in book[name].iter_rows(min_row=2, values_only=True)]
             for name in book.sheetnames}
    assert ["手机号 Phone", "13800138000"] in cells["基本信息"], cells["基本信息"]
    assert cells["车辆"][0][:2] == ["京A12345", "小汽车 Car"], cells["车辆"]
    assert cells["宠物"][0][:2] == ["旺财", "犬 Dog"], cells["宠物"]
    assert cells["联系方式"] == [["紧急联系人 Emergency", "女儿", "13912345678"]], cells["联系方式"]
    assert [r[0] for r in cells["工单"]] == [number]
    async with owner_engine.connect() as conn:  # the export itself is recorded with its reason
        exported = (await conn.execute(text("SELECT data->>'reason' FROM audit_log WHERE action = 'personal_data.exported' "
                                            "AND org_id = :o"), {"o": org.org_id})).all()
    assert [r[0] for r in exported] == ["住户申请复制"], exported

    # 删除 a vehicle: gone from the list, its space free again.
    await page.goto("/archive?tab=vehicles")
    await page.get_by_test_id("vehicle-table").get_by_test_id("remove-vehicle").click()
    await expect(page.get_by_test_id("vehicle-table")).to_contain_text("没有车辆")
    await expect(page.get_by_test_id("space-table")).to_contain_text("空闲")
    await sign_out(page)

    # 删除个人信息: a project manager, the name typed to confirm (a wrong one refused by the form).
    await sign_in(page, org.slug, "pm", PASSWORD)
    await page.goto(f"/residents/{estate['owner']}")
    await page.get_by_test_id("erase-resident").click()
    form = page.get_by_test_id("erase-drawer")
    await form.get_by_test_id("erase-name").fill("王建")
    await form.get_by_test_id("erase-drawer-submit").click()
    await expect(form).to_contain_text("姓名不一致")
    await form.get_by_test_id("erase-name").fill("王建国")
    await expect(form).not_to_contain_text("姓名不一致")
    await shot(page, "86-resident-erase-confirm")
    await form.get_by_test_id("erase-drawer-submit").click()
    await expect(form).to_have_count(0)
    await expect(page.get_by_test_id("resident-title")).to_have_text("已删除住户")
    await expect(page.get_by_test_id("resident-erased")).to_be_visible()
    await expect(page.get_by_test_id("phone-value")).to_have_count(0)
    await expect(page.get_by_test_id("resident-vehicles")).to_have_count(0)
    await expect(page.get_by_test_id("erase-resident")).to_have_count(0)
    await expect(page.get_by_test_id("edit-resident")).to_have_count(0)
    await expect(page.get_by_test_id("resident-stays")).to_contain_text("1号楼 301")  # stays kept, anonymised
    await shot(page, "87-resident-erased")
    await sign_out(page)

    # Headquarters reads the tabs and is offered no form.
    await sign_in(page, org.slug, "hq", PASSWORD)
    await page.goto("/archive?tab=vehicles")
    await expect(page.get_by_test_id("space-table")).to_contain_text("地下B1")
    await expect(page.get_by_test_id("new-space")).to_have_count(0)
    await expect(page.get_by_test_id("edit-space")).to_have_count(0)
    await expect(page.get_by_test_id("new-vehicle")).to_have_count(0)
    await page.get_by_role("tab", name=re.compile("宠物")).click()
    await expect(page.get_by_test_id("pet-table")).to_contain_text("没有宠物")  # erased with their owner
    await expect(page.get_by_test_id("new-pet")).to_have_count(0)
