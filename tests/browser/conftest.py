"""Browser tests of the web console: the built console (make console) served by the real app under
uvicorn on a loopback port, driven by Debian's Chromium through Playwright. Every page carries the
production Content-Security-Policy; any request to another origin, CSP violation or page error
fails the test. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import Browser, BrowserContext, Page, Route, async_playwright

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.app import create_app
from api.console import DIST
from tenants.platform import Platform

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
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
    ctx.set_default_timeout(15_000)
    # Only other origins are intercepted: the app's own responses reach the page untouched.
    await ctx.route(guard.foreign_url, guard.refuse)
    ctx.on("page", guard.watch)
    yield ctx
    await ctx.close()
    guard.check()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


async def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


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
