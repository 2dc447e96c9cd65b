"""The case page in a real browser: the dispatch flow from intake to the return visit, each step
by the person whose job it is, and the actions a role is not offered — with the API's FORBIDDEN
shown in the drawer when one is forced."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.async_api import Page, expect
from sqlalchemy import text

from api.graphql.types.node import from_global_id, to_global_id
from tests.api.conftest import REGISTER
from tests.browser.conftest import shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user

SHIFT = "mutation($i: DutyShiftInput!) { addDutyShift(input: $i) { errors { code message } } }"
KEY = 'mutation { createApiKey(input: {name: "业主APP", access: READ_WRITE}) { secret errors { code } } }'
CONFIRM = "mutation($c: ID!) { confirmCase(caseId: $c) { case { state } errors { code message } } }"


async def on_duty(gql, owner_engine, org, user_id) -> None:
    """The technician on the engineering roster of P1 from an hour ago for eight hours."""
    async with owner_engine.connect() as conn:
        dept = (await conn.execute(text("SELECT id FROM departments WHERE project_id = :p AND kind = 'engineering'"),
                                   {"p": org.projects["P1"]})).scalar_one()
    start = datetime.now(UTC) - timedelta(hours=1)
    body = await gql(SHIFT, {"i": {"projectId": to_global_id("Project", org.projects["P1"]),
                                   "departmentId": to_global_id("Department", dept),
                                   "userId": to_global_id("User", user_id), "startsAt": start.isoformat(),
                                   "endsAt": (start + timedelta(hours=8)).isoformat()}}, token=await gql.login(org))
    assert body["data"]["addDutyShift"]["errors"] == [], body


async def open_drawer(page: Page, key: str, action: str, title: str):
    # Single keys are not heard while a drawer is open: as a person would, wait until the last one
    # has closed (on a loaded machine its closing can outlast the state change it made).
    await expect(page.get_by_test_id("action-drawer")).to_have_count(0)
    await expect(page.get_by_test_id("next-steps").locator(f"[data-action={action}]")).to_be_visible()
    await page.keyboard.press(key)
    drawer = page.get_by_test_id("action-drawer")
    await expect(drawer).to_contain_text(title)
    return drawer


async def test_dispatch_flow_from_intake_to_the_return_visit(page, org, owner_engine, gql):
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    tech = await add_user(owner_engine, org, "tech", "technician", "P1")
    await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
    await on_duty(gql, owner_engine, org, tech)

    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.keyboard.press("F2")
    await page.locator("label", has_text="1 报修").click()
    await page.get_by_label("类别").click()
    await page.keyboard.type("水电")
    await page.keyboard.press("Enter")
    await page.get_by_label("描述").fill("2栋地下车库水管爆裂，水漫到车位")
    await page.get_by_label("位置", exact=True).fill("2栋地下车库")
    await page.keyboard.press("Control+Enter")
    await page.get_by_test_id("intake-open-case").click()
    await expect(page.get_by_test_id("case-state")).to_contain_text("已承诺")
    await expect(page.locator("[data-testid=sla-target][data-target=resolve]")).to_contain_text(re.compile("剩"))
    await shot(page, "11-case-committed")

    drawer = await open_drawer(page, "d", "dispatch", "派单")
    proposal = drawer.get_by_test_id("dispatch-proposal")
    await expect(proposal).to_contain_text("tech")
    await page.keyboard.press("1")  # the first proposal: the technician on duty
    await expect(drawer.get_by_role("radio", name=re.compile("^1 tech"))).to_be_checked()
    await page.wait_for_timeout(300)  # the drawer's slide-in, for the picture
    await shot(page, "12-case-dispatch-drawer")
    await page.keyboard.press("Control+Enter")
    await expect(drawer).to_have_count(0)
    await expect(page.get_by_test_id("case-state")).to_contain_text("已派单")
    await expect(page.get_by_test_id("case-assignee")).to_contain_text("tech")
    await expect(page.get_by_test_id("case-timeline")).to_contain_text("派单")
    case_url = page.url
    case_id = case_url.rsplit("/", 1)[1]

    await sign_out(page)
    await sign_in(page, org.slug, "tech", PASSWORD)
    await page.get_by_test_id("case-link").first.click()  # 我的待办: the case sent to the technician
    await expect(page).to_have_url(case_url)
    await open_drawer(page, "a", "accept", "接单")
    await page.keyboard.press("Control+Enter")
    await expect(page.get_by_test_id("case-state")).to_contain_text("已接单")
    await open_drawer(page, "s", "start", "到场")
    await page.keyboard.press("Control+Enter")
    await expect(page.get_by_test_id("case-state")).to_contain_text("处理中")
    drawer = await open_drawer(page, "r", "resolve", "完工")
    await drawer.get_by_label("处理结果").fill("已关闭阀门更换爆裂管段，车库积水已抽干")
    await page.keyboard.press("Control+Enter")
    await expect(page.get_by_test_id("case-state")).to_contain_text("已完工")
    await expect(page.get_by_test_id("next-steps")).not_to_contain_text("回访")  # never by the handler
    await shot(page, "13-case-resolved-by-technician")

    key = (await gql(KEY, token=await gql.login(org)))["data"]["createApiKey"]["secret"]
    confirmed = await gql(CONFIRM, {"c": case_id}, api_key=key)  # the resident, through an owner app
    assert confirmed["data"]["confirmCase"] == {"case": {"state": "CONFIRMED"}, "errors": []}, confirmed

    await sign_out(page)
    await sign_in(page, org.slug, "sup", PASSWORD)
    await page.goto(case_url)
    await expect(page.get_by_test_id("case-state")).to_contain_text("已确认")
    drawer = await open_drawer(page, "v", "visit", "回访")
    await drawer.get_by_text("满意", exact=True).click()
    await drawer.get_by_label("回访记录").fill("业主表示维修及时，车库已恢复使用")
    await shot(page, "14-case-return-visit")
    await page.keyboard.press("Control+Enter")
    await expect(page.get_by_test_id("case-state")).to_contain_text("已关闭")
    await expect(page.get_by_test_id("case-progress")).to_be_visible()
    await expect(page.get_by_test_id("case-assignee")).to_contain_text("tech")  # Case.handler, once resolved
    await shot(page, "15-case-closed")


async def test_a_role_is_offered_only_its_actions_and_a_forced_one_shows_forbidden(page, org, owner_engine, gql):
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await add_user(owner_engine, org, "hq", "hq_supervisor", None)
    registered = await gql(REGISTER, {"i": {
        "projectId": to_global_id("Project", org.projects["P1"]), "kind": "REPAIR", "channel": "PHONE", "category": "elevator",
        "publicArea": "5栋电梯", "description": "5栋电梯按钮失灵"}}, token=await gql.login(org))
    case_id = registered["data"]["registerCase"]["case"]["id"]

    # Headquarters takes skip-level calls: it may promise and link a repeat, never dispatch or work.
    await sign_in(page, org.slug, "hq", PASSWORD)
    await page.goto(f"/cases/{case_id}")
    steps = page.get_by_test_id("next-steps")
    await expect(steps.locator("[data-action=commit]")).to_be_visible()
    await expect(steps.locator("[data-action=linkRepeat]")).to_be_visible()
    for lacking in ("dispatch", "cancel", "accept", "resolve"):
        await expect(steps.locator(f"[data-action={lacking}]")).to_have_count(0)
    await sign_out(page)

    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.goto(f"/cases/{case_id}")
    await expect(steps.locator("[data-action=commit]")).to_be_visible()
    for lacking in ("accept", "resolve"):  # an agent does not do the work
        await expect(steps.locator(f"[data-action={lacking}]")).to_have_count(0)
    drawer = await open_drawer(page, "c", "commit", "承诺")
    later = (datetime.now(UTC) + timedelta(days=400)).strftime("%Y-%m-%d 10:00")
    await drawer.get_by_label("承诺时限").fill(later)  # later than the policy: a supervisor's call
    await drawer.get_by_label("承诺时限").press("Enter")
    await drawer.get_by_test_id("action-submit").click()
    error = drawer.get_by_test_id("action-error")
    await expect(error).to_contain_text("FORBIDDEN")
    await expect(error).to_contain_text("supervisor")
    await shot(page, "16-case-forbidden-in-drawer")
    await page.keyboard.press("Escape")
    await expect(drawer).to_have_count(0)
    await expect(page.get_by_test_id("case-state")).to_contain_text("已受理")


async def test_what_is_offered_follows_the_role_held_in_the_case_s_project(page, org, owner_engine, gql):
    """A technician of P1 who is an agent in P2: work on P1's cases, dispatch on P2's — never the reverse."""
    user = await add_user(owner_engine, org, "mixed", "technician", "P1")
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO role_assignments (org_id, user_id, role, project_id) VALUES (:o, :u, 'cs_agent', :p)"),
                           {"o": org.org_id, "u": user, "p": org.projects["P2"]})
    admin = await gql.login(org)
    cases = {}
    for code in ("P1", "P2"):
        async with owner_engine.connect() as conn:
            dept = (await conn.execute(text("SELECT id FROM departments WHERE project_id = :p AND kind = 'engineering'"),
                                       {"p": org.projects[code]})).scalar_one()
        body = await gql(REGISTER, {"i": {"projectId": to_global_id("Project", org.projects[code]), "kind": "REPAIR", "channel": "PHONE",
                                          "category": "water_power", "publicArea": "地库", "description": "地库渗水"}}, token=admin)
        case_id = body["data"]["registerCase"]["case"]["id"]
        committed = await gql("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", {"c": case_id}, token=admin)
        assert committed["data"]["commitCase"]["errors"] == [], committed
        sent = await gql("mutation($c: ID!, $d: ID) { dispatchCase(caseId: $c, departmentId: $d) { errors { code } } }",
                         {"c": case_id, "d": to_global_id("Department", dept)}, token=admin)
        assert sent["data"]["dispatchCase"]["errors"] == [], sent
        cases[code] = case_id

    await sign_in(page, org.slug, "mixed", PASSWORD)
    steps = page.get_by_test_id("next-steps")
    await page.goto(f"/cases/{cases['P1']}")
    await expect(steps.locator("[data-action=accept]")).to_be_visible()
    await expect(steps.locator("[data-action=dispatch]")).to_have_count(0)
    await page.goto(f"/cases/{cases['P2']}")
    await expect(steps.locator("[data-action=dispatch]")).to_be_visible()
    await expect(steps.locator("[data-action=accept]")).to_have_count(0)
    await shot(page, "16b-case-offered-by-project-role")


async def test_a_supervisor_misses_a_promise_meets_nobody_on_duty_and_cancels(page, org, owner_engine, gql):
    await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
    admin = await gql.login(org)
    body = await gql(REGISTER, {"i": {"projectId": to_global_id("Project", org.projects["P1"]), "kind": "REPAIR", "channel": "PHONE",
                                      "category": "doors_windows", "publicArea": "3栋单元门",
                                      "description": "3栋单元门禁坏了关不上"}}, token=admin)
    case_id = body["data"]["registerCase"]["case"]["id"]
    committed = await gql("mutation($c: ID!) { commitCase(caseId: $c) { errors { code } } }", {"c": case_id}, token=admin)
    assert committed["data"]["commitCase"]["errors"] == []

    await sign_in(page, org.slug, "sup", PASSWORD)
    await page.goto(f"/cases/{case_id}")
    drawer = await open_drawer(page, "m", "missPromise", "致歉与补救")
    await page.keyboard.press("Control+Enter")  # all four are required
    for missing in ("请填写致歉", "请填写原因", "请填写补救措施", "请选择新时限"):
        await expect(drawer).to_contain_text(missing)
    await drawer.get_by_label("致歉", exact=True).fill("非常抱歉，门禁配件今天无法到货")
    await drawer.get_by_label("原因", exact=True).fill("厂家配件缺货")
    await drawer.get_by_label("补救措施").fill("今晚安排保安值守单元门")
    later = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%d 18:00")
    await drawer.get_by_label("新时限").fill(later)
    await drawer.get_by_label("新时限").press("Enter")
    await drawer.get_by_text("承诺无法兑现").click()  # the picker closes
    await expect(drawer).not_to_contain_text("请选择新时限")
    await shot(page, "20-case-miss-promise")
    await drawer.get_by_test_id("action-submit").click()
    await expect(drawer).to_have_count(0)
    await expect(page.get_by_test_id("case-header")).to_contain_text("失约 1")
    await expect(page.get_by_test_id("case-due")).to_contain_text(later[:10].replace("-0", "/").replace("-", "/"))

    drawer = await open_drawer(page, "d", "dispatch", "派单")
    await expect(drawer).to_contain_text("现在无人值班")
    await page.keyboard.press("Control+Enter")  # 0 = whoever is on duty: nobody is
    await expect(drawer.get_by_test_id("action-error")).to_contain_text("NOBODY_ON_DUTY")
    await page.keyboard.press("Escape")
    await expect(drawer).to_have_count(0)

    drawer = await open_drawer(page, "x", "cancel", "撤销")
    await drawer.get_by_label("撤销原因").fill("业主已自行找人修好")
    await page.keyboard.press("Control+Enter")
    await expect(page.get_by_test_id("case-state")).to_contain_text("已撤销")
    await expect(page.get_by_test_id("next-steps")).to_contain_text("没有可执行的操作")


async def test_a_praise_names_its_staff_at_intake_and_a_complaints_staff_visit_is_recorded(page, org, owner_engine, gql):
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    tech = await add_user(owner_engine, org, "tech", "technician", "P1")
    await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")

    # 表扬 at intake: the staff praised are picked from the project's members.
    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.keyboard.press("F2")
    await page.locator("label", has_text="6 表扬").click()
    picker = page.get_by_test_id("intake-praised")
    await expect(picker).to_be_visible()
    await page.get_by_label("受表扬员工").click()
    await page.keyboard.type("tech")
    await page.keyboard.press("Enter")
    await page.keyboard.press("Escape")
    await expect(picker).to_contain_text("tech")
    await page.get_by_label("类别").click()
    await page.keyboard.type("水电")
    await page.keyboard.press("Enter")
    await page.get_by_label("描述").fill("业主来电表扬维修师傅半夜上门修好水管")
    await page.get_by_label("位置", exact=True).fill("5栋1单元")
    await shot(page, "21-intake-praise-names-staff")
    await page.get_by_test_id("intake-submit").click()
    await expect(page.get_by_test_id("intake-done")).to_be_visible()
    async with owner_engine.connect() as conn:
        praised = (await conn.execute(text("SELECT praised_user_ids FROM cases WHERE org_id = :o AND kind = 'praise'"),
                                      {"o": org.org_id})).scalar_one()
    assert praised == [tech]
    await page.get_by_test_id("intake-open-case").click()
    await expect(page.get_by_test_id("case-page")).to_be_visible()
    await expect(page.get_by_test_id("case-read-panels")).to_be_attached()
    await expect(page.get_by_test_id("staff-visits")).to_have_count(0)  # a praise has no staff return visit

    # 员工回访 on a complaint: the supervisor hears the technician and records it beside the case.
    admin = await gql.login(org)
    body = await gql(REGISTER, {"i": {"projectId": to_global_id("Project", org.projects["P1"]), "kind": "COMPLAINT",
                                      "channel": "PHONE", "category": "water_power", "publicArea": "5栋1单元",
                                      "description": "投诉维修师傅上门迟到两小时"}}, token=admin)
    complaint = body["data"]["registerCase"]["case"]["id"]
    await sign_out(page)
    await sign_in(page, org.slug, "sup", PASSWORD)
    await page.goto(f"/cases/{complaint}")
    panel = page.get_by_test_id("staff-visits")
    await expect(panel).to_contain_text("尚未回访被投诉员工")
    await page.get_by_label("被回访员工").click()
    await page.keyboard.type("tech")
    await page.keyboard.press("Enter")
    await panel.get_by_text("有异议").click()
    await page.get_by_test_id("staff-visit-note").fill("师傅称前一单耽误，已说明须提前告知业主")
    await page.get_by_test_id("staff-visit-save").click()
    visit = panel.get_by_test_id("staff-visit")
    await expect(visit).to_have_count(1)
    await expect(visit).to_contain_text("tech")
    await expect(visit).to_contain_text("有异议")
    await expect(visit).to_contain_text("须提前告知业主")
    await shot(page, "22-case-staff-visit")
    async with owner_engine.connect() as conn:
        outcome = (await conn.execute(text("SELECT outcome FROM staff_visits WHERE org_id = :o"), {"o": org.org_id})).scalar_one()
    assert outcome == "disputed"


async def test_a_praises_staff_shown_on_its_case_page_and_changed_by_a_supervisor(page, org, owner_engine, gql):
    tech = await add_user(owner_engine, org, "tech", "technician", "P1")
    tech2 = await add_user(owner_engine, org, "tech2", "technician", "P1")
    await add_user(owner_engine, org, "sup", "cs_supervisor", "P1")
    body = await gql(REGISTER, {"i": {"projectId": to_global_id("Project", org.projects["P1"]), "kind": "PRAISE",
                                      "channel": "PHONE", "category": "water_power", "publicArea": "5栋1单元",
                                      "description": "业主表扬维修师傅半夜上门", "praisedUserIds": [to_global_id("User", tech)]}},
                     token=await gql.login(org))
    assert body["data"]["registerCase"]["errors"] == [], body
    case = body["data"]["registerCase"]["case"]["id"]

    await sign_in(page, org.slug, "sup", PASSWORD)
    await page.goto(f"/cases/{case}")
    panel = page.get_by_test_id("praised-staff")
    await expect(panel.get_by_test_id("praised-person")).to_have_text(["tech"])
    await panel.get_by_test_id("praised-staff-edit").click()
    picker = panel.get_by_test_id("intake-praised")
    await panel.get_by_label("受表扬员工").click()
    await page.keyboard.type("tech2")
    await page.keyboard.press("Enter")
    await page.keyboard.press("Escape")
    await picker.locator(".ant-select-selection-item", has_text="tech tech").locator(".ant-select-selection-item-remove").click()
    await page.keyboard.press("Escape")
    await expect(picker).not_to_contain_text("tech tech")
    await shot(page, "23-case-praised-staff-change")
    await panel.get_by_test_id("praised-staff-save").click()
    await expect(panel.get_by_test_id("praised-person")).to_have_text(["tech2"])
    async with owner_engine.connect() as conn:
        praised = (await conn.execute(text("SELECT praised_user_ids FROM cases WHERE id = :c"),
                                      {"c": from_global_id(case, "Case")})).scalar_one()
    assert praised == [tech2]

    # The technician reads who was praised, and is not offered the change (no case:follow_up).
    await sign_out(page)
    await sign_in(page, org.slug, "tech2", PASSWORD)
    await page.goto(f"/cases/{case}")
    await expect(page.get_by_test_id("praised-staff").get_by_test_id("praised-person")).to_have_text(["tech2"])
    await expect(page.get_by_test_id("praised-staff-edit")).to_have_count(0)
