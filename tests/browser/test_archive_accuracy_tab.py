"""档案 准确率 in a real browser (docs/archive.md §7, §8): after the day's figures are computed, an
agent reads the project's accuracy (the API's percentage), the records checked and each check's
count; a check with none cannot be opened; 无迁入日期 lists the residents without a move-in date
(each a link to their page), 房屋无人且未标空置 the unaccounted flats (one opens its drawer)."""

from __future__ import annotations

import re

from playwright.async_api import expect

from domain.archive.accuracy import beijing_today, compute
from tenants.context import TenantScope
from tests.browser.conftest import shot, sign_in
from tests.browser.test_archive_pages import NAMES, _estate
from tests.conftest import PASSWORD, add_user

FIGURES = ("query($p: ID!) { archiveAccuracy(projectId: $p) { percentage recordsChecked recordsWithProblems "
           "checks { problem count } } }")


async def test_accuracy_tab_shows_the_figure_and_each_checks_records(page, org, platform, owner_engine, settings, gql):
    estate = await _estate(owner_engine, settings, org)
    async with platform.transaction(TenantScope(org.org_id, None, "system:test")) as conn:
        assert await compute(conn, org.org_id, beijing_today(), org.projects["P1"]) == 1
    body = await gql(FIGURES, {"p": estate["project"]}, token=await gql.login(org))
    figures = body["data"]["archiveAccuracy"][0]
    counts = {c["problem"]: c["count"] for c in figures["checks"]}
    # The estate: 19 owners with no move-in date, 504 and 604 with nobody and not vacant, nobody without a phone.
    assert (counts["NO_MOVE_IN"], counts["UNIT_UNACCOUNTED"], counts["NO_PHONE"]) == (19, 2, 0), counts
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")

    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.goto("/archive?tab=accuracy")
    tab = page.get_by_test_id("accuracy-tab")
    await expect(tab.get_by_test_id("accuracy-percentage")).to_have_text(f"{figures['percentage']:.1f}%")
    await expect(tab.get_by_test_id("accuracy-records")).to_contain_text(
        f"核查 {figures['recordsChecked']} 条记录，{figures['recordsWithProblems']} 条有问题")
    checks = tab.get_by_test_id("accuracy-checks")
    await expect(checks.locator("[data-problem]")).to_have_count(8)
    await expect(checks.locator("[data-problem=NO_MOVE_IN]")).to_contain_text("无迁入日期")
    await expect(checks.locator("[data-problem=NO_MOVE_IN]").get_by_test_id("check-count")).to_have_text("19")

    # A check with nothing to fix opens nothing.
    await checks.locator("[data-problem=NO_PHONE]").click()
    await expect(tab.get_by_test_id("offender-table")).to_have_count(0)

    await checks.locator("[data-problem=NO_MOVE_IN]").click()
    offenders = tab.get_by_test_id("accuracy-offenders")
    await expect(offenders.get_by_test_id("offenders-title")).to_have_text("无迁入日期")
    await expect(offenders.get_by_test_id("offenders-count")).to_contain_text("共 19")
    await expect(offenders.get_by_test_id("offender-table")).to_contain_text(NAMES[0])
    await expect(offenders.get_by_test_id("offender-table")).not_to_contain_text("王建国")  # moved in 2021-03-01
    await shot(page, "88-archive-accuracy")

    await checks.locator("[data-problem=UNIT_UNACCOUNTED]").click()
    flats = offenders.get_by_test_id("offender-unit")
    await expect(flats).to_have_text(["1号楼 504", "1号楼 604"])
    await flats.first.click()
    await expect(page.get_by_test_id("unit-drawer-title")).to_have_text("1号楼 504")
    await page.keyboard.press("Escape")

    await checks.locator("[data-problem=NO_MOVE_IN]").click()
    await offenders.get_by_test_id("offender-resident").get_by_text(NAMES[0], exact=True).click()
    await expect(page).to_have_url(re.compile(r"/residents/"))
    await expect(page.get_by_test_id("resident-title")).to_have_text(NAMES[0])
