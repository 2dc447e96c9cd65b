"""Browser tests of the web console: the built console (make console) served by the real app under
uvicorn on a loopback port, driven by Debian's Chromium through Playwright. Every page carries the
production Content-Security-Policy; any request to another origin, CSP violation or page error
fails the test. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import re
import shutil
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from weakref import WeakKeyDictionary
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import (Browser, BrowserContext, Locator, Page, Request, Response, Route, async_playwright,
                                  expect)

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.app import create_app
from api.console import DIST
from tenants.platform import Platform

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
# One patience for acting and for expecting: on CI's loaded two cores a mutation and the refetch
# after it have taken longer than expect's 5 s default, while every click already waited 15 s.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; "
       "form-action 'self'; object-src 'none'")


def with_csp(app: ASGIApp) -> ASGIApp:
    """The production Content-Security-Policy on every HTTP response: the pages must work under it."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_csp(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["content-security-policy"] = CSP
            await send(message)

        await app(scope, receive, send_with_csp if scope["type"] == "http" else send)

    return wrapped


@pytest.fixture(scope="session")
def console_dist() -> Path:
    if not (DIST / "index.html").is_file() or not (DIST / "graphiql.html").is_file():
        pytest.fail(f"The console is not built in {DIST}: run `make console` (make test does it).")
    return DIST


@pytest.fixture
async def app_url(settings, db_urls, console_dist) -> AsyncIterator[str]:
    """The whole app (API, console, GraphiQL) on a free loopback port for the test's length."""
    platform = Platform.create(settings, db_urls)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(with_csp(create_app(platform, None, instrument=False, console=console_dist)),
                                           log_level="warning", lifespan="on", ws="websockets-sansio"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    async with asyncio.timeout(10):
        while not server.started:
            await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    await task


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: `make browser` installs it (never `playwright install`).")
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        yield b
        await b.close()


class Guard:
    """What a page did that it must not: reach another origin, break the CSP, throw."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.foreign: list[str] = []
        self.problems: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("websocket", lambda ws: ws.url.split("/graphql")[0].replace("ws://", "http://") == self.origin
                or self.foreign.append(ws.url))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("console", lambda m: "Content Security Policy" in m.text and self.problems.append(f"CSP: {m.text}"))

    def foreign_url(self, url: str) -> bool:
        return not url.startswith(self.origin + "/") and not url.startswith("data:")

    async def refuse(self, route: Route) -> None:
        self.foreign.append(route.request.url)
        await route.abort()

    def check(self) -> None:
        assert self.foreign == [], f"requests to other origins: {self.foreign}"
        assert self.problems == [], self.problems


@pytest.fixture
async def context(browser: Browser, app_url: str) -> AsyncIterator[BrowserContext]:
    """A 1280×800 front-desk tablet in Beijing time, offline except for the app itself."""
    guard = Guard(app_url)
    ctx = await browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 800}, locale="zh-CN",
                                    timezone_id="Asia/Shanghai")
    ctx.set_default_timeout(TIMEOUT_MS)
    # Only other origins are intercepted: the app's own responses reach the page untouched.
    await ctx.route(guard.foreign_url, guard.refuse)
    ctx.on("page", guard.watch)
    yield ctx
    await ctx.close()
    guard.check()


class Exchanges:
    """The page's last GraphQL exchanges: operation, status, milliseconds and any error codes —
    printed when a test fails, so a failure under CI's load says what the API answered (or not)."""

    def __init__(self) -> None:
        self.started: dict[Request, tuple[float, str]] = {}
        self.lines: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("request", self.request)
        page.on("response", lambda r: asyncio.ensure_future(self.response(r)))
        page.on("requestfailed", lambda r: self.lines.append(f"FAILED {self.name(r)}: {r.failure}"))

    @staticmethod
    def name(request: Request) -> str:
        """The document's hash (the console sends trusted documents) and the variables' names."""
        try:
            body = json.loads(request.post_data or "{}")
        except ValueError:
            return request.url
        return f"{str(body.get('documentId', 'text')).removeprefix('sha256:')[:8]}({','.join(body.get('variables') or {})})"

    def request(self, request: Request) -> None:
        if "/graphql" in request.url:
            self.started[request] = (time.monotonic(), self.name(request))

    async def response(self, response: Response) -> None:
        start = self.started.pop(response.request, None)
        if start is None:
            return
        ms = (time.monotonic() - start[0]) * 1000
        try:
            body = await response.text()
            fields = list((json.loads(body).get("data") or {}))
            codes = re.findall(r'"code":\s*"(\w+)"', body)
        except Exception as e:  # the page went away before the body was read
            fields, codes = [], [type(e).__name__]
        self.lines.append(f"{time.strftime('%H:%M:%S')} {start[1]} {','.join(fields)} {response.status} {ms:.0f} ms "
                          f"{' '.join(codes)}")

    def report(self) -> str:
        pending = [f"PENDING {name} for {(time.monotonic() - at) * 1000:.0f} ms" for at, name in self.started.values()]
        return "\n".join(self.lines[-25:] + pending)


EXCHANGES: WeakKeyDictionary[Page, Exchanges] = WeakKeyDictionary()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    page = await context.new_page()
    EXCHANGES[page] = exchanges = Exchanges()
    exchanges.watch(page)
    return page


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each browser test with a page run so that its failure leaves evidence (failure_evidence)."""
    for item in items:
        if (isinstance(item, pytest.Function) and item.path.is_relative_to(Path(__file__).parent)
                and "page" in item.fixturenames and inspect.iscoroutinefunction(item.obj)):
            item.obj = with_evidence(item.obj)


def with_evidence(test: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    # Gathered inside the test's own call, so the evidence is in the failure's captured output
    # (also under xdist, whose workers send a test's report before its fixtures are torn down).
    @functools.wraps(test)
    async def run(**kwargs: object) -> None:
        try:
            await test(**kwargs)
        except Exception:
            page = kwargs["page"]
            if isinstance(page, Page) and not page.is_closed():
                await failure_evidence(page, test.__name__, EXCHANGES.get(page))
            raise

    return run


async def failure_evidence(page: Page, name: str, exchanges: Exchanges | None) -> None:
    """What the page showed and what the API answered, when a test failed: a screenshot in the
    artifacts and, in the test's output, the visible errors and the last GraphQL exchanges."""
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        await page.screenshot(path=ARTIFACTS / f"FAILED-{name}.png", full_page=True)
        shown = await page.locator(".ant-message-notice, [role=alert], .ant-form-item-explain-error").all_inner_texts()
    except Exception as e:  # evidence is a help: its own failure must not hide the test's
        shown = [f"(no evidence: {e})"]
    print(f"\n--- {name}: {page.url}\nshown: {shown}\nGraphQL exchanges:\n{exchanges.report() if exchanges else ''}")


async def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


async def choose(page: Page, select: Locator, option: str) -> None:
    """Picks an option of an Ant Design single select and waits until the select shows it and its
    list has gone. One list at a time: a list still closing covers the field below it, and a click
    while it closes can land in the wrong list or be lost to the focus moving (seen under CI's load
    as a form refusing a field that had been "chosen")."""
    lists = page.locator(".ant-select-dropdown:visible")
    await expect(lists).to_have_count(0)
    await select.click()
    await lists.locator(".ant-select-item-option", has_text=option).first.click()
    await expect(select).to_contain_text(option)
    await expect(lists).to_have_count(0)


async def sign_in(page: Page, organization: str, username: str, password: str) -> None:
    await page.goto("/login")
    await page.get_by_label("公司").fill(organization)
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(password)
    await page.get_by_role("button", name="登录").click()
    await page.get_by_test_id("viewer-name").wait_for()


async def sign_out(page: Page) -> None:
    await page.get_by_role("button", name=re.compile("退出")).click()
    await page.get_by_label("用户名").wait_for()
