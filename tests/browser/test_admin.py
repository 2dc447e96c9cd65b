"""管理 and 值班表 in a real browser: an org admin creates a login, grants it a role in a project,
issues an API key whose secret is shown once and gone after closing, revokes it, adds a case
category, an outside body and a 12345 bridge, and puts the new person on duty; a project agent is offered neither page, and a mutation
forced from a console that believes it may shows the API's FORBIDDEN under the form."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.async_api import Page, Route, expect

from tests.browser.conftest import choose as choose_in, shot, sign_in
from tests.conftest import PASSWORD, add_user

BEIJING = ZoneInfo("Asia/Shanghai")


async def choose(page: Page, select_test_id: str, option: str) -> None:
    await choose_in(page, page.get_by_test_id(select_test_id), option)


async def test_an_org_admin_manages_people_keys_categories_and_the_roster(page, org):
    await sign_in(page, org.slug, "admin", PASSWORD)
    menu = page.locator(".ant-menu-root")
    await expect(menu).to_contain_text("值班表")
    await page.get_by_role("menuitem", name=re.compile("^管理")).click()

    # 用户与角色: a new login, then a technician's role in 项目1.
    users = page.get_by_test_id("users-table")
    await expect(users).to_contain_text("admin")
    await page.get_by_test_id("new-user").click()
    drawer = page.get_by_test_id("user-drawer")
    await drawer.get_by_role("textbox", name="账号").fill("zhang")
    await drawer.get_by_role("textbox", name="姓名").fill("张师傅")
    await drawer.get_by_role("textbox", name="初始密码").fill("Firstcall-2026!")
    await drawer.get_by_test_id("user-drawer-submit").click()
    await expect(drawer).to_have_count(0)
    await expect(users.locator("tr", has_text="zhang")).to_contain_text("张师傅")
    await page.get_by_test_id("grant-zhang").click()
    await choose(page, "grant-role", "维修工")
    await choose(page, "grant-project", "项目1")
    await page.get_by_test_id("grant-drawer-submit").click()
    await expect(users.locator("tr", has_text="zhang").get_by_test_id("role-grant")).to_contain_text("维修工 Technician · 项目1")
    await shot(page, "30-admin-users")

    # 接口密钥: the secret once, with a warning and a copy button; gone after closing; then revoked.
    await page.get_by_test_id("tab-keys").click()
    await page.get_by_test_id("new-key").click()
    await page.get_by_test_id("key-drawer").get_by_role("textbox", name="名称").fill("业主APP")
    await page.get_by_test_id("key-drawer-submit").click()
    secret_box = page.get_by_test_id("secret")
    await expect(secret_box).to_be_visible()
    secret = (await secret_box.inner_text()).strip()
    assert len(secret) > 20
    dialog = page.locator(".ant-modal")
    await expect(dialog).to_contain_text("只显示这一次")
    await expect(dialog.get_by_role("button", name=re.compile("复制|Copy"))).to_be_visible()
    await page.wait_for_timeout(400)  # the dialog's opening animation, for a legible screenshot
    await shot(page, "31-admin-key-secret-once")
    await page.get_by_test_id("secret-close").click()
    await expect(secret_box).to_have_count(0)
    assert secret not in await page.content()
    keys = page.get_by_test_id("keys-table")
    row = keys.locator("tr", has_text="业主APP")
    await expect(row).to_contain_text("全部项目")
    await expect(row).to_contain_text(secret[:6])  # the prefix stays to tell keys apart
    await page.get_by_test_id("revoke-业主APP").click()
    await expect(row.get_by_test_id("key-revoked")).to_contain_text("已吊销")
    await shot(page, "32-admin-keys")

    # 工单类别
    await page.get_by_test_id("tab-categories").click()
    await page.get_by_test_id("new-category").click()
    drawer = page.get_by_test_id("category-drawer")
    await drawer.get_by_role("textbox", name="代码").fill("garage_gate")
    await drawer.locator("#category_name").fill("车库道闸")
    await drawer.get_by_role("textbox", name="英文名").fill("Garage gate")
    await drawer.get_by_test_id("category-drawer-submit").click()
    await expect(page.get_by_test_id("categories-table").locator("tr", has_text="garage_gate")).to_contain_text("车库道闸")
    await shot(page, "33-admin-categories")

    await page.get_by_test_id("tab-channels").click()
    await expect(page.get_by_text("还没有推送渠道")).to_be_visible()
    await shot(page, "34-admin-channels")
    await page.get_by_test_id("tab-dead").click()
    await expect(page.get_by_text("没有死信")).to_be_visible()
    await shot(page, "35-admin-dead-letters")

    # 外部单位: a street office served by letter; rotating its secret shows the new one once.
    await page.get_by_test_id("tab-outside").click()
    await page.get_by_test_id("new-body").click()
    drawer = page.get_by_test_id("body-drawer")
    await drawer.locator("#body_name").fill("幸福街道办事处")
    await drawer.locator("#body_address").fill("幸福路1号")
    await drawer.get_by_test_id("body-drawer-submit").click()
    bodies = page.get_by_test_id("bodies-table")
    await expect(bodies.locator("tr", has_text="幸福街道办事处")).to_contain_text("5 天")
    await bodies.get_by_role("button", name=re.compile("更换密钥")).click()
    await expect(page.get_by_test_id("secret")).to_be_visible()
    await page.get_by_test_id("secret-close").click()
    await expect(page.get_by_test_id("secret")).to_have_count(0)
    await shot(page, "38-admin-outside-bodies")

    # 12345 热线对接: the shared integrations tab (as 支付对接, 话务对接) with the bridge's own fields.
    await page.get_by_test_id("gov-integration-name").fill("北京12345")
    await page.get_by_test_id("gov-integration-city").fill("北京市")
    await page.get_by_test_id("gov-integration-callback").fill("http://127.0.0.1:9/cb")
    await page.get_by_test_id("gov-integration-receiver").click()
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option").first.click()
    await page.get_by_test_id("gov-integration-add").click()
    await expect(page.get_by_test_id("secret")).to_contain_text("fcs_")
    await page.get_by_test_id("secret-close").click()
    bridge = page.get_by_test_id("gov-integration-list").locator("tbody tr.ant-table-row", has_text="北京12345")
    await expect(bridge).to_contain_text("/bridge/12345/")
    await bridge.get_by_test_id("gov-integration-off").click()
    await page.locator(".ant-popconfirm:visible .ant-btn-primary").click()
    await expect(bridge.get_by_test_id("gov-integration-state")).to_have_text("停用")
    await bridge.get_by_test_id("gov-integration-on").click()
    await expect(bridge.get_by_test_id("gov-integration-state")).to_have_text("启用")
    await shot(page, "38b-admin-gov-integrations")

    # 值班表: the new technician on duty from this hour, shown in the grid and marked as on duty now.
    # In the main menu: while a section folds, antd keeps a second copy of its items for a moment.
    await page.get_by_role("menu", name="主菜单 Main menu").get_by_role("menuitem", name=re.compile("值班表")).click()
    await expect(page.get_by_test_id("roster-empty")).to_be_visible()
    await choose(page, "shift-department", "工程")
    await choose(page, "shift-person", "张师傅")
    await page.get_by_test_id("shift-submit").click()
    # The form's default shift starts this hour and lasts eight: after 16:00 Beijing time it runs
    # past midnight and the grid shows it on both days; on a Sunday evening its tail is next week's.
    days, tail_next_week = _default_shift_days()
    shift = page.get_by_test_id("roster-grid").get_by_test_id("shift")
    await expect(shift).to_have_count(days - tail_next_week)
    for i in range(days - tail_next_week):
        await expect(shift.nth(i)).to_contain_text("张师傅")
    await expect(shift.filter(has_text="在岗")).to_have_count(days - tail_next_week)
    await expect(page.get_by_test_id("roster-empty")).to_have_count(0)
    await shot(page, "36-roster")
    await page.get_by_test_id("week-next").click()
    if tail_next_week:
        await expect(shift).to_have_count(1)
    else:
        await expect(page.get_by_test_id("roster-empty")).to_be_visible()
    await page.get_by_test_id("week-prev").click()
    await expect(shift).to_have_count(days - tail_next_week)


def _default_shift_days() -> tuple[int, int]:
    """How many Beijing days the add-shift form's default (this hour, eight hours) touches, and
    whether its second day falls in next week."""
    start = datetime.now(BEIJING).replace(minute=0, second=0, microsecond=0)
    last = start + timedelta(hours=8) - timedelta(microseconds=1)
    if last.date() == start.date():
        return 1, 0
    return 2, int(last.weekday() == 0)


async def test_a_project_agent_sees_neither_page_and_a_forced_shift_is_forbidden(page, org, owner_engine):
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")

    # The console is told the agent may plan the roster; the API, which decides, is not.
    async def believe_roster_manage(route: Route) -> None:
        response = await route.fetch()
        body = await response.json()
        viewer = (body.get("data") or {}).get("viewer") if isinstance(body, dict) else None
        if viewer and "permissions" in viewer:
            viewer["permissions"] = [*viewer["permissions"], "ROSTER_MANAGE"]
        await route.fulfill(response=response, body=json.dumps(body))

    await sign_in(page, org.slug, "agent", PASSWORD)
    menu = page.locator(".ant-menu-root")
    await expect(menu).to_contain_text("工作台")
    await expect(menu).not_to_contain_text("值班表")
    await expect(menu).not_to_contain_text("管理")
    await page.goto("/admin")
    await expect(page.get_by_text("您没有管理权限")).to_be_visible()
    await page.goto("/roster")
    await expect(page.get_by_test_id("roster-empty")).to_contain_text("本周还没有排班。")
    await expect(page.get_by_test_id("add-shift")).to_have_count(0)

    await page.route("**/graphql", believe_roster_manage)
    await page.reload()
    await choose(page, "shift-department", "客服")
    await choose(page, "shift-person", "agent")
    await page.get_by_test_id("shift-submit").click()
    error = page.get_by_test_id("add-shift").get_by_test_id("form-error")
    await expect(error).to_contain_text("FORBIDDEN")
    await expect(page.get_by_test_id("shift")).to_have_count(0)
    await shot(page, "37-roster-forbidden")
