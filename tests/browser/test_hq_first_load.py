"""The HQ board's first load: its figures are asked beside the viewer query (once the session
refresh has a token), not after it, and the page takes that answer instead of asking again. A
failed early ask is silent (the page asks on its own); another role's page never asks for them."""

from __future__ import annotations

import json
import re

from playwright.async_api import Page, Route, expect

from api.console import DIST
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, add_user


def hash_of(operation: str) -> str:
    documents: dict[str, str] = json.loads((DIST / "persisted-documents.json").read_text())
    return next(h for h, doc in documents.items() if re.match(rf"\s*query {operation}\b", doc))


def record(page: Page) -> list[tuple[str, str]]:
    """(event, operation) in order: "sent" and "answered" for the viewer and the overview."""
    names = {hash_of("Viewer"): "viewer", hash_of("OrgOverview"): "overview"}
    events: list[tuple[str, str]] = []

    def operation(request) -> str | None:
        body = (request.post_data or "") if request.url.endswith("/graphql") else ""
        return next((name for h, name in names.items() if h in body), None)

    page.on("request", lambda r: (op := operation(r)) and events.append(("sent", op)))
    page.on("requestfinished", lambda r: (op := operation(r)) and events.append(("answered", op)))
    return events


async def test_a_reload_asks_for_the_figures_beside_the_viewer_and_once(page, org):
    await sign_in(page, org.slug, "admin", PASSWORD)
    await page.goto("/hq")
    await expect(page.get_by_test_id("hq-table").locator("[data-project=P1]")).to_contain_text("项目1")
    events = record(page)
    await page.reload()
    await expect(page.get_by_test_id("hq-table").locator("[data-project=P1]")).to_contain_text("项目1")
    await expect(page.get_by_test_id("kpi-strip")).to_be_visible()
    assert events.count(("sent", "overview")) == 1, events
    assert events.index(("sent", "overview")) < events.index(("answered", "viewer")), events


async def test_a_failed_early_ask_is_silent_and_the_board_asks_again(page, org):
    await sign_in(page, org.slug, "admin", PASSWORD)
    overview, aborted = hash_of("OrgOverview"), []

    async def fail_first(route: Route) -> None:
        if overview in (route.request.post_data or "") and not aborted:
            aborted.append(route.request.url)
            await route.abort()
        else:
            await route.continue_()

    await page.goto("/hq")
    await expect(page.get_by_test_id("hq-table").locator("[data-project=P1]")).to_contain_text("项目1")
    await page.route("**/graphql", fail_first)
    await page.reload()
    await expect(page.get_by_test_id("hq-table").locator("[data-project=P1]")).to_contain_text("项目1")
    assert aborted
    await expect(page.get_by_test_id("error-banner")).to_have_count(0)


async def test_a_project_manager_landing_elsewhere_never_asks_for_the_board(page, org, owner_engine):
    await add_user(owner_engine, org, "pm", "project_manager", "P2")
    await sign_in(page, org.slug, "pm", PASSWORD)
    events = record(page)
    await page.reload()
    await expect(page.get_by_test_id("viewer-name")).to_be_visible()
    await expect(page).not_to_have_url(re.compile(r"/hq"))
    await page.wait_for_load_state("networkidle")
    assert ("sent", "viewer") in events and ("sent", "overview") not in events, events
