"""设置 in a real browser: an org admin overrides a project's SLA cell and puts it back, moves the
escalation ladder, enters a holiday for a year the calendar lacked, changes a project's working
hours, adds a risk word, and sees the API's error under the form for weights it refuses. A project
manager and HQ quality see only their tabs; a project agent is offered no 设置, and a save it
forces shows the API's FORBIDDEN under the form."""

from __future__ import annotations

import json
import re

from playwright.async_api import Page, Route, expect
from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.browser.conftest import shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user

HOURS = "query($id: ID!) { project(id: $id) { workOpens workCloses } }"
RISK_WORDS = "{ alertSettings { riskWords } }"


async def tab(page: Page, name: str) -> None:
    await page.get_by_role("tab", name=name).click()


async def snap(page: Page, name: str) -> None:
    """A screenshot once nothing is loading and the buttons' motion has ended."""
    await expect(page.locator(".ant-btn-loading, .ant-skeleton")).to_have_count(0)
    await page.wait_for_timeout(400)
    await shot(page, name)


async def test_org_admin_changes_every_setting_and_sees_the_api_s_error(page, org, owner_engine, gql):
    async with owner_engine.begin() as conn:  # a deadline once needed 2027 and no calendar covered it
        await conn.execute(text("INSERT INTO calendar_gaps (org_id, year) VALUES (:o, 2027)"), {"o": org.org_id})
    await sign_in(page, org.slug, "admin", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("设置")).click()
    await expect(page).to_have_url(re.compile(r"/settings"))

    # 时效标准: an override of 项目1's 报修·一般 cell, then back to the company default.
    matrix = page.get_by_test_id("sla-matrix")
    await expect(matrix.locator("tr[data-cell]")).to_have_count(21)
    await snap(page, "settings-01-sla-company")
    await page.get_by_test_id("sla-scope").click()
    await page.locator(".ant-select-item-option", has_text="项目1").click()
    cell = matrix.locator('tr[data-cell="REPAIR:GENERAL"]')
    await expect(cell).to_have_attribute("data-overridden", "false")
    await cell.get_by_test_id("sla-edit").click()
    drawer = page.get_by_test_id("sla-drawer")
    await drawer.get_by_label("完成时限").fill("720")
    await expect(drawer).to_contain_text("12小时")
    await drawer.get_by_test_id("sla-save").click()
    await expect(drawer).to_have_count(0)
    await expect(cell).to_have_attribute("data-overridden", "true")
    await expect(cell).to_contain_text("项目覆盖")
    await expect(cell).to_contain_text("12小时")
    await expect(cell.get_by_test_id("sla-updated")).to_contain_text("企业管理员")  # who changed it, by name
    await snap(page, "settings-02-sla-project-override")
    await cell.get_by_test_id("sla-restore").click()
    await page.locator(".ant-popconfirm").get_by_role("button", name=re.compile(r"恢\s*复")).click()
    await expect(cell).to_have_attribute("data-overridden", "false")
    await expect(cell).to_contain_text("1天")

    # 升级阶梯: L1 at 110 %.
    await tab(page, "升级阶梯")
    await page.get_by_label("L1 客服主管").fill("110")
    await page.get_by_test_id("ladder-save").click()
    await expect(page.get_by_test_id("ladder-steps")).to_contain_text("L1 · 110%")
    await snap(page, "settings-03-ladder")

    # 节假日: the banner names 2027; entering a day of it answers the banner.
    gaps = page.get_by_test_id("calendar-gaps")
    await expect(gaps).to_contain_text("2027")
    await snap(page, "settings-04-calendar-gap")
    await gaps.get_by_role("button", name="录入 2027").click()
    await expect(page.get_by_test_id("calendar-tab")).to_contain_text("2027 年还没有录入节假日")
    await page.get_by_test_id("year-view").locator('[data-cal="2027-10-01"]').click()  # picks the day for the form
    await expect(page.get_by_label("日期")).to_have_value("2027-10-01")
    await page.get_by_label("名称").fill("国庆节")
    await page.get_by_test_id("calendar-add").click()
    await expect(page.locator('tr[data-day="2027-10-01"]')).to_contain_text("国庆节")
    await expect(page.locator('tr[data-day="2027-10-01"]')).to_contain_text("放假")
    await expect(page.get_by_test_id("year-view").locator('[data-cal="2027-10-01"]')).to_have_css("background-color", "rgb(82, 196, 26)")
    await expect(gaps).to_have_count(0)
    await snap(page, "settings-05-calendar")

    # 工作时间: 项目1 opens at 08:00 and closes at 18:30.
    await tab(page, "工作时间")
    for label, value in (("上班", "08:00"), ("下班", "18:30")):
        await page.get_by_label(label).click()
        await page.get_by_label(label).fill(value)
        await page.get_by_label(label).press("Enter")
    await page.get_by_test_id("hours-save").click()
    await expect(page.get_by_test_id("hours-table").locator("tr[data-project=P1]")).to_contain_text("08:00–18:30")
    token = await gql.login(org)
    hours = (await gql(HOURS, {"id": to_global_id("Project", org.projects["P1"])}, token=token))["data"]["project"]
    assert hours == {"workOpens": "08:00:00", "workCloses": "18:30:00"}
    await snap(page, "settings-06-working-hours")

    # 预警阈值: a new risk word, kept by the API.
    await tab(page, "预警阈值")
    words = page.get_by_label("风险词")
    await words.fill("漏水索赔")
    await words.press("Enter")
    await page.get_by_test_id("alert-settings-save").click()
    await expect(page.get_by_test_id("alert-settings-save")).not_to_have_class(re.compile("loading"))
    await expect(page.get_by_test_id("risk-words")).to_contain_text("漏水索赔")
    assert "漏水索赔" in (await gql(RISK_WORDS, token=token))["data"]["alertSettings"]["riskWords"]
    await snap(page, "settings-07-alert-settings")

    # 考评权重: the answer rate weighed (0 by default), saved with the survey weight as it was.
    await tab(page, "考评权重")
    await expect(page.get_by_label("接通率", exact=True)).to_have_value("0.00")
    await page.get_by_label("接通率", exact=True).fill("15")
    await page.get_by_test_id("kpi-save").click()
    saved = {"data": {"kpiWeights": {"calls": 15.0, "survey": 10.0}}}
    for _ in range(50):  # the save is the page's request: read the API until it has landed
        if (found := await gql("{ kpiWeights { calls survey } }", token=token)) == saved:
            break
        await page.wait_for_timeout(100)
    assert found == saved
    # The page reads the weights again after its save and puts them back in the form: let that
    # land before typing, or it overwrites what is typed.
    await page.wait_for_load_state("networkidle")
    # Every case rate at zero is refused, and the API says why under the form.
    for label in ("响应率", "解决率", "满意率", "首次解决率", "按时办结率"):
        await page.get_by_label(label, exact=True).fill("0")
    await expect(page.get_by_test_id("kpi-total")).to_contain_text("合计 0")
    await page.get_by_test_id("kpi-save").click()
    error = page.get_by_test_id("form-error")
    await expect(error).to_contain_text("VALIDATION")
    await expect(error).to_contain_text("not all zero")
    await snap(page, "settings-08-kpi-weights-error")


async def test_an_agent_is_offered_no_settings_and_a_forced_save_shows_forbidden(page, org, owner_engine):
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await add_user(owner_engine, org, "pm", "project_manager", "P1")
    await add_user(owner_engine, org, "quality", "hq_quality", None)

    # A project manager: the project's SLA, the company's ladder and calendar to read, its hours; no weights.
    await sign_in(page, org.slug, "pm", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("设置")).click()
    await expect(page.get_by_role("tab")).to_have_text(["时效标准", "升级阶梯", "节假日", "工作时间"])
    await expect(page.get_by_test_id("sla-matrix").get_by_test_id("sla-edit")).to_have_count(21)
    await tab(page, "升级阶梯")
    await expect(page.get_by_test_id("ladder-steps")).to_contain_text("L2 · 150%")
    await expect(page.get_by_test_id("ladder-save")).to_have_count(0)
    await expect(page.get_by_test_id("read-only")).to_contain_text("只读")
    await snap(page, "settings-09-project-manager")
    await sign_out(page)

    # Headquarters quality: the evaluation's weights and the alert thresholds, nothing of the SLA.
    await sign_in(page, org.slug, "quality", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("设置")).click()
    await expect(page.get_by_role("tab")).to_have_text(["预警阈值", "考评权重"])
    await expect(page.get_by_test_id("alert-settings-save")).to_be_visible()
    await sign_out(page)

    await sign_in(page, org.slug, "agent", PASSWORD)
    await expect(page.get_by_role("menuitem", name=re.compile("设置"))).to_have_count(0)
    await page.goto("/settings")
    await expect(page.get_by_text("你没有可修改的设置")).to_be_visible()

    # Forced: the page is told the agent may manage the calendar; the API still says no.
    async def grant(route: Route) -> None:
        response = await route.fetch()
        body = await response.json()
        viewer = (body.get("data") or {}).get("viewer")
        if viewer:
            viewer["permissions"].append("SLA_MANAGE")
        await route.fulfill(response=response, body=json.dumps(body))

    await page.route("**/graphql", grant)
    await page.goto("/settings?tab=calendar")
    await page.get_by_label("日期").fill("2027-05-01")
    await page.get_by_label("日期").press("Enter")
    await page.get_by_label("名称").fill("劳动节")
    await page.get_by_test_id("calendar-add").click()
    await expect(page.get_by_test_id("form-error")).to_contain_text("FORBIDDEN")
    await snap(page, "settings-10-forced-forbidden")
