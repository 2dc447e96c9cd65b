"""值班表 with both kinds of shift (docs/centre-day.md §3): a project manager plans a technician on
the dispatch roster and themself at reception (接访轮值); the reception shift is tagged 接访 and
tinted, and the kind filter shows one kind at a time with each kind's count."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.browser.conftest import choose as choose_in, shot, sign_in
from tests.conftest import PASSWORD, add_user


async def choose(page: Page, select_test_id: str, option: str) -> None:
    await choose_in(page, page.get_by_test_id(select_test_id), option)


async def add_shift(page: Page, kind: str, department: str, person: str) -> None:
    await choose(page, "shift-kind-select", kind)
    await choose(page, "shift-department", department)
    await choose(page, "shift-person", person)
    await page.get_by_test_id("shift-submit").click()


async def test_reception_shifts_are_marked_and_filtered(page, org, owner_engine):
    await add_user(owner_engine, org, "rpm", "project_manager", "P1")
    await add_user(owner_engine, org, "rtech", "technician", "P1")
    await sign_in(page, org.slug, "rpm", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("^值班表")).click()
    await expect(page.get_by_test_id("roster-empty")).to_be_visible()
    kinds = page.get_by_test_id("roster-kind")

    await add_shift(page, "派单值班", "工程", "rtech")
    await expect(kinds).to_contain_text("派单值班 1")
    await add_shift(page, "接访", "客服", "rpm")
    await expect(kinds).to_contain_text("全部 2")
    await expect(kinds).to_contain_text("接访 1")

    shifts = page.get_by_test_id("roster-grid").get_by_test_id("shift")
    reception = shifts.and_(page.locator("[data-kind=RECEPTION]"))
    dispatch = shifts.and_(page.locator("[data-kind=DISPATCH]"))
    # A shift from this hour may run past midnight: one block per day it touches, so at least one.
    await expect(reception.first).to_contain_text("rpm")
    await expect(reception.first.get_by_test_id("shift-kind")).to_have_text("接访")
    assert "fc-shift-reception" in (await reception.first.get_attribute("class") or "")
    await expect(dispatch.first).to_contain_text("rtech")
    await expect(dispatch.get_by_test_id("shift-kind")).to_have_count(0)
    assert await reception.count() == await shifts.get_by_test_id("shift-kind").count()
    await shot(page, "36-roster-reception")

    await kinds.get_by_text(re.compile("^接访")).click()
    await expect(page).to_have_url(re.compile("kind=RECEPTION"))
    await expect(dispatch).to_have_count(0)
    await expect(reception.first).to_be_visible()
    await shot(page, "36-roster-reception-only")
    await kinds.get_by_text(re.compile("^派单值班")).click()
    await expect(reception).to_have_count(0)
    await expect(dispatch.first).to_contain_text("rtech")
    await kinds.get_by_text(re.compile("^全部")).click()
    await expect(page).not_to_have_url(re.compile("kind="))
    await expect(reception.first).to_be_visible()
    await expect(dispatch.first).to_be_visible()


async def test_a_technician_is_refused_at_reception(page, org, owner_engine):
    await add_user(owner_engine, org, "rpm2", "project_manager", "P1")
    await add_user(owner_engine, org, "rtech2", "technician", "P1")
    await sign_in(page, org.slug, "rpm2", PASSWORD)
    await page.goto("/roster")
    await add_shift(page, "接访", "工程", "rtech2")
    await expect(page.get_by_test_id("add-shift").get_by_test_id("form-error")).to_be_visible()
    await expect(page.get_by_test_id("roster-grid").get_by_test_id("shift")).to_have_count(0)
