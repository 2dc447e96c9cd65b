"""话术与知识库 in the console (docs/centre-day.md §5): headquarters writes the company's wording on
/knowledge and revises it; at intake an agent searches the wordings beside the form, reads the
current version, and 使用 counts the use at the agent's project."""

from __future__ import annotations

from playwright.async_api import expect
from sqlalchemy import text

from tests.browser.conftest import shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user


async def test_hq_writes_a_wording_and_the_desk_finds_and_uses_it_at_intake(page, org, owner_engine):
    await add_user(owner_engine, org, "quality", "hq_quality", None)
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await sign_in(page, org.slug, "quality", PASSWORD)
    await page.goto("/knowledge")
    await page.get_by_test_id("article-new").click()
    await page.get_by_test_id("article-title").fill("临时停车收费标准")
    await page.get_by_test_id("article-body").fill("访客车辆首小时免费，之后每小时5元，当日封顶30元。")
    await page.get_by_test_id("article-form-submit").click()
    row = page.get_by_test_id("article-row")
    await expect(row).to_have_text("临时停车收费标准")
    await page.get_by_test_id("article-revise").click()
    await page.get_by_test_id("article-body").fill("访客车辆首小时免费，之后每小时5元，当日封顶40元。")
    await page.get_by_test_id("article-note").fill("封顶价调整")
    await page.get_by_test_id("article-form-submit").click()
    await expect(page.get_by_test_id("knowledge-table")).to_contain_text("v2")
    await expect(page.locator(".ant-drawer-content:visible")).to_have_count(0)  # closed, not over the table in the shot
    await page.get_by_role("button", name="展开行").click()  # the current text and both versions
    await expect(page.get_by_test_id("knowledge-table")).to_contain_text("封顶价调整")
    await shot(page, "89-knowledge-page")
    await sign_out(page)

    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.goto("/intake")
    await page.get_by_label("搜索话术").fill("停车 封顶")
    hit = page.get_by_test_id("knowledge-hit")
    await expect(hit).to_have_count(1)
    await expect(hit).to_contain_text("当日封顶40元")  # the current version, not the first
    await hit.get_by_test_id("knowledge-use").click()
    await expect(hit.get_by_test_id("knowledge-use")).to_have_text("已复制")
    await shot(page, "90-intake-knowledge")
    async with owner_engine.connect() as conn:
        uses = (await conn.execute(text("SELECT project_id, uses FROM knowledge_uses WHERE org_id = :o"), {"o": org.org_id})).all()
    assert [(u.project_id, u.uses) for u in uses] == [(org.projects["P1"], 1)]
