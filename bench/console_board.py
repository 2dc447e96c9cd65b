"""The HQ board's time to first full render in Debian's chromium (Playwright): from navigation
start until the KPI strip, every project (table rows or heat-map cells, drawn) and the alert stream
are on screen — `performance.now()` read in the page when the board marks itself drawn. Each run
is a fresh browser context (empty cache, a new session from a stored refresh token, as a reload
after sign-in), then one reload with the cache warm. Three runs per view; every run reported.

    .venv/bin/python bench/console_board.py --dataset demo [--screenshot docs/hq-board.png]
    .venv/bin/python bench/console_board.py --dataset hq [--cases 10000000] [--database fc_bench_hq]

demo: the `make demo` company 示范物业 (12 projects, 180 days of history) in its own database.
hq: the `make bench-hq` data (2,000 projects; generated with bench/hq_overview.py when missing —
a smaller --cases needs its own --database).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.case_data import server_url  # noqa: E402
from bench.hq_overview import DB as HQ_DB, PASSWORD as HQ_PASSWORD, SLUG as HQ_SLUG, ensure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "console_board.json"
DATA = ROOT / ".firstcall" / "bench-console"  # the keys that sign the bench servers' tokens
PORT = 8742
DEMO_DB = "fc_bench_console_demo"
LOGIN = "mutation($i: LoginInput!) { login(input: $i) { refreshToken errors { code message } } }"
# Drawn: the board marked itself (every row or cell), the KPI strip shown, the alert stream loaded.
DRAWN = """() => {
  // When the largest GraphQL answer (orgOverview) had fully arrived: the rest is the page's own work.
  const overview = () => Math.round(Math.max(0, ...performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/graphql')).sort((a, b) => b.encodedBodySize - a.encodedBodySize)
    .slice(0, 1).map((e) => e.responseEnd)));
  const board = document.querySelector('[data-testid=board][data-rendered]');
  const stream = document.querySelector('[data-testid=alert-stream]');
  return board && document.querySelector('[data-testid=kpi-strip]') && stream && !stream.querySelector('.ant-skeleton')
    ? { ms: performance.now(), cells: +board.dataset.rendered, data: overview() } : null;
}"""


def env_for(database: str) -> dict:
    url = server_url().set(database=database, drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    return {**os.environ, "DATABASE_URL": url, "FIRSTCALL_DATA_DIR": str(DATA), "FIRSTCALL_DEMO_TRICKLE_SECONDS": "0"}


def seed_demo() -> tuple[str, str, str]:
    import asyncpg

    async def create() -> None:
        conn = await asyncpg.connect(server_url().render_as_string(hide_password=False))
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DEMO_DB):
                await conn.execute(f"CREATE DATABASE {DEMO_DB}")
        finally:
            await conn.close()

    asyncio.run(create())
    subprocess.run([str(ROOT / ".venv" / "bin" / "firstcall"), "demo", "--seed-only"], env=env_for(DEMO_DB), check=True,
                   stdout=subprocess.DEVNULL)
    return DEMO_DB, "demo", "firstcall-demo"


def evaluate(database: str) -> None:
    """What the scanner keeps current: the months' scores, standard scores and ranks."""
    from tenants.platform import Platform
    from tenants.settings import Settings
    from workers.score_sweep import sweep

    async def run() -> None:
        platform = Platform.create(Settings(DATABASE_URL=env_for(database)["DATABASE_URL"]))
        try:
            await sweep(platform)
        finally:
            await platform.close()

    asyncio.run(run())


def serve(database: str) -> subprocess.Popen:
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "firstcall"), "serve", "--port", str(PORT)], env=env_for(database),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        with contextlib.suppress(httpx.HTTPError):  # not listening yet
            if httpx.get(f"http://127.0.0.1:{PORT}/readyz").status_code == 200:
                return server
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not become ready")


def refresh_token(org: str, password: str) -> str:
    body = httpx.post(f"http://127.0.0.1:{PORT}/graphql", timeout=30,
                      json={"query": LOGIN, "variables": {"i": {"organization": org, "username": "admin", "password": password}}}).json()
    return body["data"]["login"]["refreshToken"]


def signed_in(context, org: str, password: str) -> None:
    """A new session's refresh token in the context's storage, once: the page rotates it after."""
    token = json.dumps(refresh_token(org, password))
    context.add_init_script(f"localStorage.getItem('firstcall.refreshToken') || localStorage.setItem('firstcall.refreshToken', {token})")


def measure(browser, org: str, password: str, view: str, runs: int) -> list[dict]:
    results = []
    for _ in range(runs):
        context = browser.new_context(base_url=f"http://127.0.0.1:{PORT}", viewport={"width": 1920, "height": 1080},
                                      locale="zh-CN", timezone_id="Asia/Shanghai")
        signed_in(context, org, password)
        page = context.new_page()
        run = {}
        for cache in ("cold", "warm"):
            if cache == "cold":
                page.goto(f"/hq{'?view=map' if view == 'map' else ''}")
            else:  # the session goes on from the refresh token the page stored
                page.reload()
            drawn = page.wait_for_function(DRAWN, polling="raf", timeout=60_000).json_value()
            run[f"{cache}_ms"] = round(drawn["ms"])
            run[f"{cache}_data_ms"] = drawn["data"]
            run["projects"] = drawn["cells"]
        results.append(run)
        context.close()
    return results


def screenshot(browser, org: str, password: str, path: Path) -> None:
    context = browser.new_context(base_url=f"http://127.0.0.1:{PORT}", viewport={"width": 1920, "height": 1080},
                                  locale="zh-CN", timezone_id="Asia/Shanghai")
    signed_in(context, org, password)
    page = context.new_page()
    page.goto("/hq?view=map")
    page.wait_for_function(DRAWN, polling="raf", timeout=60_000)
    page.wait_for_timeout(500)
    page.screenshot(path=path)
    context.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", choices=["demo", "hq"], default="demo")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cases", type=int, default=10_000_000, help="hq: cases to generate when missing")
    ap.add_argument("--database", default=HQ_DB, help="hq: the database of that generation")
    ap.add_argument("--screenshot", type=Path, default=None, help="save the heat map at 1920×1080 here")
    args = ap.parse_args()
    if not (ROOT / "console" / "dist" / "index.html").is_file():
        raise SystemExit("build the console first: make console")
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Debian's chromium is not installed: make browser")
    if args.dataset == "demo":
        database, org, password = seed_demo()
    else:
        asyncio.run(ensure(args.cases, args.database))
        database, org, password = args.database, HQ_SLUG, HQ_PASSWORD
    evaluate(database)
    server = serve(database)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            results = {"load_before": os.getloadavg()[0]}
            results |= {view: measure(browser, org, password, view, args.runs) for view in ("table", "map")}
            results["load_after"] = os.getloadavg()[0]
            if args.screenshot:
                screenshot(browser, org, password, args.screenshot)
            browser.close()
    finally:
        server.terminate()
        server.wait(20)
    key = "demo" if args.dataset == "demo" else f"hq:{args.database}"
    previous = json.loads(OUT.read_text()) if OUT.is_file() else {}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({**previous, key: results}, indent=2))
    print(json.dumps({key: results}, indent=2))


if __name__ == "__main__":
    main()
