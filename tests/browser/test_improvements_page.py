"""整改 in the console: a project manager raises a corrective action from an alert (the form
prefilled with it), its owner — a CS supervisor — finds it under 我负责的 and completes it with a
note and an https link, headquarters' quality returns it with a reason and a new due day, and once
done again verifies it; the drawer's history names every step. An overdue action of the same
project is tinted with the ladder's rungs it climbed. Raised from an inspection, the form carries
the items below full marks, and the drawer's source leads back to the inspection."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from playwright.async_api import Page, expect
from sqlalchemy import text

from tests.api.test_org_overview import settle
from tests.api.test_inspections import RECORD, inspection, quality  # noqa: F401 (quality is a fixture)
from tests.browser.conftest import choose as choose_in, shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user

COMPLETE = """mutation($a: ID!, $n: String!) { completeImprovementAction(actionId: $a, evidenceNote: $n) {
  action { state } errors { code } } }"""


async def choose(page: Page, select_test_id: str, option: str) -> None:
    await choose_in(page, page.get_by_test_id(select_test_id), option)


async def seed(owner_engine, org) -> dict:
    """Users, an orange alert of P1 and an action of P1 already three days late with two rungs fired."""
    ids = {n: await add_user(owner_engine, org, n, role, project)
           for n, role, project in (("pm1", "project_manager", "P1"), ("sup1", "cs_supervisor", "P1"), ("hq", "hq_quality", None))}
    today = datetime.now(UTC).astimezone(timezone(timedelta(hours=8))).date()
    values = {"o": org.org_id, "p": org.projects["P1"], "owner": ids["sup1"], "by": f"user:{ids['pm1']}",
              "due": today - timedelta(days=3), "now": datetime.now(UTC)}
    async with owner_engine.begin() as conn:
        alert = (await conn.execute(text(
            "INSERT INTO alerts (org_id, project_id, rule, scope_key, colour, title, detail, case_ids) VALUES "
            "(:o, :p, 'cluster', 'building:3', 'orange', '3号楼漏水集中', '3号楼24小时内5户报漏水', '{}') RETURNING id"),
            values)).scalar()
        late = (await conn.execute(text(
            "INSERT INTO improvement_actions (org_id, project_id, source, title, description, owner_user_id, due_on, raised_by) "
            "VALUES (:o, :p, 'other', '地下车库照明整改', '更换损坏灯具', :owner, :due, :by) RETURNING id"), values)).scalar()
        for level, hours in (("remind", 80), ("l1", 50)):
            await conn.execute(text(
                "INSERT INTO item_escalations (org_id, project_id, subject_kind, subject_id, level, due_at, fired_at, recipients) "
                "VALUES (:o, :p, 'action', :s, :l, :at, :at, ARRAY[CAST(:owner AS uuid)])"),
                values | {"s": late, "l": level, "at": values["now"] - timedelta(hours=hours)})
    return {"alert": alert, "late": late}


async def test_raise_from_an_alert_complete_return_and_verify(page, org, owner_engine, gql, platform, stub_worker):
    await seed(owner_engine, org)

    # The project manager raises it from the alert, prefilled with the alert's words.
    await sign_in(page, org.slug, "pm1", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("预警中心")).click()
    detail = page.get_by_test_id("alert-detail")
    await expect(detail).to_contain_text("3号楼漏水集中")
    await detail.get_by_test_id("raise-action-open").click()
    form = page.get_by_test_id("raise-action")
    await expect(form.get_by_test_id("raise-title")).to_have_value("3号楼漏水集中")
    await expect(form.get_by_test_id("raise-description")).to_have_value("3号楼24小时内5户报漏水")
    await expect(form.get_by_test_id("raise-source")).to_contain_text("客情预警")
    await form.get_by_test_id("raise-title").fill("3号楼屋面防水整改")
    await form.get_by_test_id("raise-action-submit").click()  # the owner is required
    await expect(form).to_contain_text("请选择责任人")
    await choose(page, "raise-owner", "sup1")
    await shot(page, "improvements-01-raise-from-alert")
    await form.get_by_test_id("raise-action-submit").click()
    await detail.get_by_test_id("raised-link").click()
    drawer = page.get_by_test_id("action-drawer")
    await expect(drawer.get_by_test_id("action-state")).to_have_text("整改中")
    await expect(drawer.get_by_test_id("action-owner")).to_have_text("sup1")
    await expect(drawer.get_by_test_id("action-source")).to_contain_text("客情预警 · 3号楼漏水集中")
    await expect(drawer.get_by_test_id("action-history")).to_contain_text("提出整改 Raised · pm1")
    await drawer.locator(".ant-drawer-close").click()
    await sign_out(page)

    # The owner: under 我负责的, the late one tinted with its rungs; completes the new one with evidence.
    await sign_in(page, org.slug, "sup1", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("整改")).click()
    await page.get_by_test_id("improvements-mine").click()
    await expect(page).to_have_url(re.compile(r"mine=1"))
    rows = page.get_by_test_id("improvements").locator("tr[data-action]")
    await expect(rows).to_have_count(2)
    late = rows.first  # the overdue first, by due day
    await expect(late).to_have_attribute("data-overdue", "1")
    await expect(late).to_contain_text("逾期3天")
    await expect(late.get_by_test_id("action-escalations")).to_contain_text("提醒")
    await expect(late.get_by_test_id("action-escalations")).to_contain_text("一级升级")
    await shot(page, "improvements-02-owner-list")
    await page.locator("tr[data-action='3号楼屋面防水整改']").click()
    drawer = page.get_by_test_id("action-drawer")
    await drawer.get_by_test_id("complete-links").fill("ftp://files.example.com/roof.jpg")
    await drawer.get_by_test_id("complete-submit").click()
    await expect(drawer).to_contain_text("请写明整改情况")
    await expect(drawer).to_contain_text("链接须以 https:// 开头")
    await drawer.get_by_test_id("complete-note").fill("屋面重做防水层，闭水试验48小时无渗漏")
    await drawer.get_by_test_id("complete-links").fill("https://files.example.com/roof.jpg")
    await drawer.get_by_test_id("complete-submit").click()
    await expect(drawer.get_by_test_id("action-state")).to_have_text("待验证")
    await expect(drawer.get_by_test_id("action-evidence")).to_contain_text("https://files.example.com/roof.jpg")
    await expect(drawer).to_contain_text("等待总部验证")
    await shot(page, "improvements-03-completed")
    await drawer.locator(".ant-drawer-close").click()
    # The owner was told of it in the inbox, which leads to their list (the notice carries no case).
    await settle(platform, stub_worker)
    await page.goto("/inbox?show=all")
    told = page.get_by_test_id("inbox-item").filter(has_text="3号楼屋面防水整改")
    await told.get_by_test_id("inbox-open").click()
    await expect(page).to_have_url(re.compile(r"/improvements\?mine=1&state=ALL"))
    await expect(page.locator("tr[data-action='3号楼屋面防水整改']")).to_be_visible()
    await sign_out(page)

    # Headquarters' quality returns it with a reason and a new due day.
    await sign_in(page, org.slug, "hq", PASSWORD)
    await page.goto("/improvements?state=DONE")
    await page.locator("tr[data-action='3号楼屋面防水整改']").click()
    drawer = page.get_by_test_id("action-drawer")
    await drawer.get_by_test_id("verify-return-open").click()
    await drawer.get_by_test_id("return-submit").click()
    await expect(drawer).to_contain_text("请写明退回原因")
    await drawer.get_by_test_id("return-reason").fill("女儿墙根部仍有渗水痕迹，请补做")
    await shot(page, "improvements-04-return")
    await drawer.get_by_test_id("return-submit").click()
    await expect(drawer.get_by_test_id("action-state")).to_have_text("整改中")
    await expect(drawer.get_by_test_id("action-return-reason")).to_have_text("女儿墙根部仍有渗水痕迹，请补做")
    await expect(drawer.get_by_test_id("action-history")).to_contain_text("退回 Returned · hq：女儿墙根部仍有渗水痕迹，请补做")

    # Done again by its owner; headquarters verifies it, and the history names every step.
    action_id = await drawer.get_by_test_id("action-history").evaluate("() => new URL(location.href).searchParams.get('action')")
    sup = await gql.login(org, "sup1")
    done = (await gql(COMPLETE, {"a": action_id, "n": "女儿墙根部补做防水"}, token=sup))["data"]["completeImprovementAction"]
    assert done == {"action": {"state": "DONE"}, "errors": []}
    await page.reload()
    drawer = page.get_by_test_id("action-drawer")
    await expect(drawer.get_by_test_id("action-state")).to_have_text("待验证")
    await drawer.get_by_test_id("verify-pass").click()
    await expect(drawer.get_by_test_id("action-state")).to_have_text("已验证")
    history = drawer.get_by_test_id("action-history")
    await expect(history.locator(".ant-timeline-item")).to_have_count(5)
    await expect(history).to_contain_text("验证通过 Verified · hq")
    await shot(page, "improvements-05-verified")


async def test_raise_from_an_inspection_and_follow_its_source_back(page, org, owner_engine, gql, quality):  # noqa: F811
    await add_user(owner_engine, org, "sup1", "cs_supervisor", "P1")
    token, _, _ = quality
    body = (await gql(RECORD, {"i": inspection(org, quality, [8, 20, 5])}, token=token))["data"]["recordInspection"]
    assert body["errors"] == [], body

    await sign_in(page, org.slug, "qa", PASSWORD)
    await page.goto("/quality?tab=inspections")
    card = page.get_by_test_id("inspection-detail")
    await card.get_by_test_id("raise-action-open").click()
    form = page.get_by_test_id("raise-action")
    # The items below full marks, with their comments, are what needs putting right.
    await expect(form.get_by_test_id("raise-description")).to_have_value("#1 大堂地面洁净（8/10）：扣分：现场有问题")
    await expect(form.get_by_test_id("raise-title")).to_have_value(re.compile(r"^月度品质检查整改"))
    await choose(page, "raise-owner", "sup1")
    await form.get_by_test_id("raise-action-submit").click()
    await card.get_by_test_id("raised-link").click()
    drawer = page.get_by_test_id("action-drawer")
    await expect(drawer.get_by_test_id("action-owner")).to_have_text("sup1")
    source = drawer.get_by_test_id("action-source")
    await expect(source).to_contain_text("品质检查 · 月度品质检查")
    await shot(page, "improvements-06-from-inspection")
    await source.click()
    await expect(page).to_have_url(re.compile(r"/quality\?tab=inspections&inspection="))
    await expect(page.get_by_test_id("inspection-score")).to_have_text("94.3")
