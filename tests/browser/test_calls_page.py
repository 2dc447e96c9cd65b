"""通话记录 in the console (docs/centre-day.md §8): a project manager reads the month's calls — time,
masked number, answered after so many seconds or abandoned, the case a call was registered as,
linked — with the month's figures, then adds a telephony integration (its secret shown once),
switches it off and on again and rotates its secret. Another project's calls do not show."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

from playwright.async_api import expect
from sqlalchemy import text

from domain.kpi.call_rollups import rebuild_calls
from domain.sla.calendar import CHINA
from tenants.context import TenantScope
from tests.api.test_calls_api import add_case
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD, add_user


async def calls(owner_engine, org, project: str, waits: list[int | None], case_id: uuid.UUID | None = None) -> None:
    """Inbound calls queued this Beijing month, a minute apart (the first linked to the case)."""
    start = max(datetime.now(CHINA).replace(day=1, hour=0, minute=5, second=0, microsecond=0),
                datetime.now(CHINA) - timedelta(hours=1))
    ids = {"o": org.org_id, "p": org.projects[project], "i": uuid.uuid4()}
    async with owner_engine.begin() as conn:
        await conn.execute(text("INSERT INTO telephony_integrations (org_id, project_id, id, name, secret_enc, ring_seconds, created_by) "
                                "VALUES (:o, :p, :i, '旧呼叫中心', '\\x00', 5, 'user:x')"), ids)
        for n, wait in enumerate(waits):
            queued = start + timedelta(minutes=n)
            answered = queued + timedelta(seconds=wait) if wait is not None else None
            await conn.execute(text(
                "INSERT INTO call_records (org_id, project_id, integration_id, external_id, direction, caller_phone_hash, "
                "caller_phone_masked, queued_at, answered_at, ended_at, abandoned, case_id) VALUES (:o, :p, :i, :x, 'in', '\\x01', "
                ":m, :q, :a, :e, :ab, :c)"),
                {**ids, "x": f"CTI-{project}-{n}", "m": f"138****80{n:02d}" if project == "P1" else "139****0000", "q": queued,
                 "a": answered, "e": queued + timedelta(seconds=90), "ab": answered is None, "c": case_id if n == 0 else None})


async def test_a_manager_reads_the_months_calls_and_manages_the_integrations(page, org, owner_engine, platform):
    await add_user(owner_engine, org, "pm", "project_manager", "P1")
    case_id = await add_case(owner_engine, org, "P1")
    await calls(owner_engine, org, "P1", [8, 30, None, 12], case_id)
    await calls(owner_engine, org, "P2", [5])
    async with platform.transaction(TenantScope(org.org_id, None, "test")) as conn:
        await rebuild_calls(conn, org.org_id)
    async with owner_engine.connect() as conn:
        number = (await conn.execute(text("SELECT number FROM cases WHERE id = :c"), {"c": case_id})).scalar()

    await sign_in(page, org.slug, "pm", PASSWORD)
    await expect(page.get_by_role("menuitem", name="通话记录")).to_be_visible()
    await page.goto("/calls")
    rows = page.get_by_test_id("call-list").locator("tbody tr.ant-table-row")
    await expect(rows).to_have_count(4)  # P1's only
    figures = page.get_by_test_id("call-figures")
    await expect(figures).to_contain_text("75.0%")  # 3 of 4 answered
    await expect(figures).to_contain_text("66.7%")  # 2 of 3 within three rings of 5 s
    await expect(page.get_by_test_id("call-abandoned")).to_have_count(1)
    await expect(rows.first).to_contain_text("12 秒接听")  # newest first
    link = page.get_by_test_id("call-case")
    await expect(link).to_have_text(number)
    await expect(page.get_by_test_id("call-list")).not_to_contain_text("139****0000")
    await shot(page, "97-calls-month")
    await link.click()
    await expect(page).to_have_url(re.compile(r"/cases/"))
    await expect(page.get_by_text(number).first).to_be_visible()  # the case page opened
    await page.goto("/calls")

    await page.get_by_role("tab", name="话务对接").click()
    await expect(page.get_by_test_id("call-integration-list").locator("tbody tr.ant-table-row")).to_have_count(1)
    await page.get_by_test_id("call-integration-name").fill("呼叫中心二期")
    await page.get_by_test_id("call-integration-ring").fill("4")
    await page.get_by_test_id("call-integration-add").click()
    await expect(page.get_by_test_id("secret")).to_contain_text("fcs_")
    await page.get_by_test_id("secret-close").click()
    added = page.get_by_test_id("call-integration-list").locator("tbody tr.ant-table-row", has_text="呼叫中心二期")
    await expect(added).to_contain_text("4 s")
    await added.get_by_test_id("call-integration-off").click()
    await page.locator(".ant-popconfirm:visible .ant-btn-primary").click()
    await expect(added.get_by_test_id("call-integration-state")).to_have_text("停用")
    await added.get_by_test_id("call-integration-on").click()
    await expect(added.get_by_test_id("call-integration-state")).to_have_text("启用")
    await added.get_by_test_id("call-integration-rotate").click()
    await page.locator(".ant-popconfirm:visible .ant-btn-primary").click()
    await expect(page.get_by_test_id("secret")).to_contain_text("fcs_")
    await page.get_by_test_id("secret-close").click()
    await shot(page, "98-calls-integrations")
    async with owner_engine.connect() as conn:
        made = (await conn.execute(text("SELECT active, ring_seconds FROM telephony_integrations "
                                        "WHERE org_id = :o AND name = '呼叫中心二期'"), {"o": org.org_id})).one()
    assert tuple(made) == (True, 4)
