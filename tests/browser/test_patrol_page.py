"""巡查 in the console at a phone's size, 390×844 (docs/centre-day.md §2.1): a staff member opens
today's runs on /m/patrol, walks one point by point typing the six characters under each code,
records an issue with a photo link and a word with an owner, makes it a case and finishes; a run
nobody walked is red on the phone and on the manager's /patrols week."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import Page, expect
from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.api.test_patrols_api import PLAN, POINT, ROUTE, ROUTES, START, beijing_today, ok
from tests.browser.conftest import shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user
from workers.patrol_sweep import sweep

PHONE = {"width": 390, "height": 844}
PRIMARY = "rgb(22, 119, 255)"  # antd's colorPrimary, the enabled 打卡 button


async def lay_out(gql, org, pm: str, walker_id, name: str, points: list[str]) -> tuple[str, list[dict]]:
    """A route of P1 with its points, planned daily for the walker all day (Beijing)."""
    token = await gql.login(org, pm)
    project = to_global_id("Project", org.projects["P1"])
    route = ok(await gql(ROUTE, {"p": project, "n": name}, token=token), "createPatrolRoute", "route")["id"]
    made = [ok(await gql(POINT, {"i": {"routeId": route, "name": p, "checks": ["门锁", "灯光"]}}, token=token), "addPatrolPoint", "point")
            for p in points]
    plan = ok(await gql(PLAN, {"i": {"routeId": route, "assigneeId": to_global_id("User", walker_id), "cadence": "DAILY",
                                     "windowStart": "00:00:00", "windowMinutes": 1440, "startsOn": beijing_today().isoformat()}},
                        token=token), "createPatrolPlan", "plan")
    return plan["id"], made


async def record(page: Page, result: str, code: str, note: str = "") -> None:
    point = page.get_by_test_id("patrol-point").filter(has=page.get_by_test_id("patrol-record"))
    await point.get_by_text(result, exact=True).click()
    if note:
        await point.get_by_test_id("patrol-note").fill(note)
    await point.get_by_test_id("patrol-code").fill(code)
    await point.get_by_test_id("patrol-record").click()


async def test_a_run_walked_on_a_phone_and_a_missed_one_in_red(page, org, owner_engine, gql, platform):
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    walker = await add_user(owner_engine, org, "walker", "staff", "P1")
    _, points = await lay_out(gql, org, "pm1", walker, "夜间安全巡查", ["1号楼大堂", "地下车库B2"])
    missed_plan, _ = await lay_out(gql, org, "pm1", walker, "消防通道巡查", ["东侧通道"])
    await sweep(platform)
    # The second route's run of today (from Beijing midnight): its window closed a minute ago with
    # nobody there, so the sweep marks it missed.
    async with owner_engine.begin() as conn:
        await conn.execute(text("UPDATE patrol_runs SET due_until = now() - interval '1 minute' "
                                "WHERE plan_id = :p AND due_from = (SELECT min(due_from) FROM patrol_runs WHERE plan_id = :p)"),
                           {"p": from_global_id(missed_plan, "PatrolPlan")})
    await sweep(platform)

    await page.set_viewport_size(PHONE)
    await sign_in(page, org.slug, "walker", PASSWORD)
    await page.goto("/m/patrol")
    runs = page.get_by_test_id("patrol-run")
    await expect(runs).to_have_count(2)
    missed = runs.filter(has_text="消防通道巡查")
    await expect(missed).to_have_attribute("data-state", "MISSED")
    await expect(missed).to_contain_text("漏巡")
    assert await missed.evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(207, 19, 34)"
    await shot(page, "95-patrol-phone-runs")

    await runs.filter(has_text="夜间安全巡查").click()
    await expect(page.get_by_test_id("patrol-point")).to_have_count(2)
    await expect(page.get_by_test_id("patrol-progress")).to_have_text("0/2")
    await shot(page, "95-patrol-phone-run")
    # The code typed first (the walker is standing at the point): 打卡 waits for a result and says so;
    # once chosen it is the solid primary blue at once, not a pale fade from the disabled grey.
    first = page.get_by_test_id("patrol-point").first
    await first.get_by_test_id("patrol-code").fill(points[0]["qrContent"][-6:].lower())
    await expect(first.get_by_test_id("patrol-record")).to_be_disabled()
    await expect(first.get_by_test_id("patrol-missing")).to_contain_text("先选择结果")
    await first.get_by_text("正常", exact=True).click()
    await expect(first.get_by_test_id("patrol-record")).to_be_enabled()
    assert await first.get_by_test_id("patrol-record").evaluate("e => getComputedStyle(e).backgroundColor") == PRIMARY
    await expect(first.get_by_test_id("patrol-missing")).to_have_count(0)
    await shot(page, "95-patrol-phone-code-typed")
    await record(page, "正常", points[0]["qrContent"][-6:].lower())
    await expect(page.get_by_test_id("patrol-progress")).to_have_text("1/2")
    await expect(page.get_by_test_id("patrol-point").first.get_by_test_id("patrol-point-result")).to_have_text("正常")

    second = page.get_by_test_id("patrol-point").nth(1)
    await second.get_by_text("有问题", exact=True).click()
    await second.get_by_test_id("patrol-note").fill("B2排水沟堵塞，积水约5厘米")
    await second.get_by_test_id("patrol-photos").fill("https://files.example.com/b2.jpg")
    await second.get_by_test_id("patrol-talk").click()
    await second.get_by_test_id("patrol-talk-note").fill("车主反映积水已两天")
    await second.get_by_test_id("patrol-code").fill(points[1]["qrContent"][-6:])
    await expect(second.get_by_test_id("patrol-record")).to_be_enabled()
    assert await second.get_by_test_id("patrol-record").evaluate("e => getComputedStyle(e).backgroundColor") == PRIMARY
    await shot(page, "95-patrol-phone-issue")
    await second.get_by_test_id("patrol-record").click()
    await expect(page.get_by_test_id("patrol-progress")).to_have_text("2/2")
    await expect(second.get_by_test_id("patrol-point-result")).to_have_text("有问题")
    await expect(second).to_contain_text("车主反映积水已两天")

    await second.get_by_test_id("patrol-to-case").click()
    await second.get_by_test_id("patrol-case-category").click()
    await page.locator(".ant-select-item-option").first.click()
    await second.get_by_test_id("patrol-case-submit").click()
    await expect(second.get_by_test_id("patrol-case-link")).to_be_visible()
    await page.get_by_test_id("patrol-finish").click()
    await expect(page.get_by_test_id("patrol-run-state")).to_have_text("已完成")
    await expect(page.get_by_test_id("patrol-finish")).to_have_count(0)
    await shot(page, "95-patrol-phone-done")
    async with owner_engine.connect() as conn:
        # This company's rows only: the suite's other tests share the database.
        visits = (await conn.execute(text("SELECT v.result, v.scanned, v.case_id IS NOT NULL, v.photos, v.talk_note FROM patrol_visits v "
                                          "JOIN patrol_points p ON p.org_id = v.org_id AND p.id = v.point_id "
                                          "WHERE v.org_id = :o ORDER BY p.position"), {"o": org.org_id})).all()
        channel = (await conn.execute(text("SELECT channel FROM cases WHERE org_id = :o AND id = "
                                           "(SELECT case_id FROM patrol_visits WHERE org_id = :o AND case_id IS NOT NULL)"),
                                      {"o": org.org_id})).scalar_one()
    assert [tuple(v) for v in visits] == [("ok", True, False, [], None),
                                          ("issue", True, True, ["https://files.example.com/b2.jpg"], "车主反映积水已两天")]
    assert channel == "patrol"
    await page.get_by_test_id("patrol-back").click()
    await expect(page.get_by_test_id("patrol-run").filter(has_text="夜间安全巡查")).to_contain_text("已完成")
    await sign_out(page)

    await sign_in(page, org.slug, "pm1", PASSWORD)
    await page.goto("/patrols")
    await expect(page.get_by_test_id("patrols-route")).to_have_count(2)
    row = page.get_by_test_id("patrols-run").and_(page.locator("[data-state=MISSED]"))
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("消防通道巡查")
    await expect(row).to_contain_text("漏巡")
    assert "fc-missed-row" in (await row.get_attribute("class") or "")
    await expect(page.get_by_test_id("patrols-missed-count")).to_have_text("⚠ 漏巡 1")
    await shot(page, "95-patrol-manage-phone")
    await page.set_viewport_size({"width": 1280, "height": 800})
    await shot(page, "95-patrol-manage")


async def test_a_manager_edits_switches_off_and_cancels_on_the_patrols_page(page, org, owner_engine, gql, platform):
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    walker = await add_user(owner_engine, org, "walker", "staff", "P1")
    plan, _ = await lay_out(gql, org, "pm1", walker, "夜间安全巡查", ["1号楼大堂", "地下车库B2"])
    await sweep(platform)
    await page.set_viewport_size({"width": 1280, "height": 800})
    await sign_in(page, org.slug, "pm1", PASSWORD)
    await page.goto("/patrols")
    points = page.get_by_test_id("patrols-point")
    await expect(points).to_have_count(2, timeout=15_000)

    await points.first.get_by_test_id("patrols-point-edit").click()
    dialog = page.get_by_test_id("patrols-point-edit-dialog")
    await dialog.get_by_label("巡查点名称").fill("1号楼大堂及电梯厅")
    await page.get_by_test_id("patrols-point-edit-ok").click()
    await expect(points.first).to_contain_text("1号楼大堂及电梯厅")

    await points.nth(1).get_by_test_id("patrols-point-off").click()
    await page.locator(".ant-popconfirm:visible .ant-btn-primary").click()
    await expect(points.nth(1)).to_have_attribute("data-active", "false")
    await expect(points.nth(1)).to_contain_text("已停用")
    await expect(page.get_by_test_id("patrols-run").first).to_contain_text("0/1")  # runs not started count one point now

    today = page.get_by_test_id("patrols-run").first
    await today.get_by_test_id("patrols-run-cancel").click()
    await page.get_by_test_id("patrols-run-cancel-dialog").get_by_label("取消原因").fill("台风停止户外巡查")
    await shot(page, "95-patrol-cancel")
    await page.get_by_test_id("patrols-run-cancel-ok").click()
    await expect(today).to_have_attribute("data-state", "CANCELLED")
    await expect(today).to_contain_text("台风停止户外巡查")

    await page.get_by_test_id("patrols-plan").get_by_test_id("patrols-plan-off").click()
    await page.locator(".ant-popconfirm:visible .ant-btn-primary").click()
    await expect(page.get_by_test_id("patrols-plan")).to_have_attribute("data-active", "false")
    await expect(page.get_by_test_id("patrols-run").and_(page.locator("[data-state=SCHEDULED]"))).to_have_count(0)
    await shot(page, "95-patrol-switched-off")
    async with owner_engine.connect() as conn:
        states = (await conn.execute(text("SELECT DISTINCT state FROM patrol_runs WHERE plan_id = :p"),
                                     {"p": from_global_id(plan, "PatrolPlan")})).scalars().all()
    assert states == ["cancelled"]


async def test_a_plans_dates_changed_and_a_point_added_while_a_run_is_under_way(page, org, owner_engine, gql, platform):
    """The editor takes the plan's first and last day (an end before the start is refused in the
    form); runs not started after the new last day are cancelled. A point added while a run is under
    way is not shown on the phone for that run, nor counted in it."""
    await add_user(owner_engine, org, "pm1", "project_manager", "P1")
    walker = await add_user(owner_engine, org, "walker", "staff", "P1")
    plan, _ = await lay_out(gql, org, "pm1", walker, "绿化巡查", ["中心花园", "北门草坪"])
    await sweep(platform)
    today = beijing_today()
    await page.set_viewport_size({"width": 1280, "height": 800})
    await sign_in(page, org.slug, "pm1", PASSWORD)
    await page.goto("/patrols")
    row = page.get_by_test_id("patrols-plan")
    await expect(row).to_contain_text(f"{today.isoformat()} 起长期", timeout=15_000)
    await row.get_by_test_id("patrols-plan-edit").click()
    dialog = page.get_by_test_id("patrols-plan-edit-dialog")
    ends = dialog.locator("#patrolPlanEdit_endsOn")
    await ends.click()
    await ends.fill((today - timedelta(days=1)).isoformat())
    await ends.press("Enter")
    await page.get_by_test_id("patrols-plan-edit-ok").click()
    await expect(dialog).to_contain_text("结束日期不能早于开始日期")
    await ends.click()
    await ends.fill("")
    await ends.fill((today + timedelta(days=1)).isoformat())
    await ends.press("Enter")
    await shot(page, "96-patrol-plan-dates")
    await page.get_by_test_id("patrols-plan-edit-ok").click()
    await expect(row).to_contain_text(f"{today.isoformat()} 至 {(today + timedelta(days=1)).isoformat()}")
    async with owner_engine.connect() as conn:
        states = (await conn.execute(text("SELECT state FROM patrol_runs WHERE plan_id = :p ORDER BY due_from"),
                                     {"p": from_global_id(plan, "PatrolPlan")})).scalars().all()
    assert states == ["scheduled"] * 2 + ["cancelled"] * 6

    # The walker starts today's run on the phone; the manager adds a point meanwhile: not part of the run.
    async with owner_engine.connect() as conn:
        run = (await conn.execute(text("SELECT id FROM patrol_runs WHERE plan_id = :p ORDER BY due_from LIMIT 1"),
                                  {"p": from_global_id(plan, "PatrolPlan")})).scalar_one()
    walker_token = await gql.login(org, "walker")
    ok(await gql(START, {"r": to_global_id("PatrolRun", run)}, token=walker_token), "startPatrolRun", "run")
    route = (await gql(ROUTES, {"p": to_global_id("Project", org.projects["P1"])}, token=await gql.login(org, "pm1")))
    ok(await gql(POINT, {"i": {"routeId": route["data"]["patrolRoutes"][0]["id"], "name": "南门绿篱"}},
                 token=await gql.login(org, "pm1")), "addPatrolPoint", "point")
    await sign_out(page)
    await page.set_viewport_size(PHONE)
    await sign_in(page, org.slug, "walker", PASSWORD)
    await page.goto(f"/m/patrol?run={to_global_id('PatrolRun', run)}")
    await expect(page.get_by_test_id("patrol-run-view")).to_be_visible(timeout=15_000)
    await expect(page.get_by_test_id("patrol-point")).to_have_count(2)
    await expect(page.get_by_test_id("patrol-run-view")).not_to_contain_text("南门绿篱")
    await expect(page.get_by_test_id("patrol-progress")).to_have_text("0/2")
