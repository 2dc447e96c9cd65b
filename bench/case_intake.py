"""Case intake and the case list through the full HTTP stack (DESIGN §10).

On the data of bench/case_data.py (1 company, 2,000 projects, 1,000,000 cases), with
`firstcall serve --processes 2` and wrk (32 connections):
1. `cases` list requests/s — the 20 newest cases of a project with project, assignee and SLA
   fields — on the compiled path and, for comparison, through strawberry alone;
2. `registerCase` creations/s;
3. SQL statements per list request at 1, 20 and 100 rows (must not grow with the rows).

    .venv/bin/python bench/case_intake.py [--projects 2000] [--cases 1000000] [--seconds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api import request_db  # noqa: E402
from api.graphql.types.node import to_global_id  # noqa: E402
from bench._results import Figure, Target, record, results_dir  # noqa: E402
from bench.case_data import PASSWORD, SLUG, dsn, ensure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = results_dir() / "case_intake.json"
PORT = 8731
LIST = ("query($p: ID!) { cases(filter: {projectId: $p}, first: 20) { edges { node { id number state severity receivedAt "
        "commitmentDue overdue project { code name } assignee { displayName } } } pageInfo { hasNextPage endCursor } } }")
REGISTER = ("mutation($i: RegisterCaseInput!) { registerCase(input: $i) { case { id number } errors { code } } }")


def wrk_script(path: Path, bodies: list[dict], token: str) -> Path:
    """wrk sends one of `bodies` per request, in turn."""
    listed = ", ".join(f"[==[{json.dumps(b, ensure_ascii=False)}]==]" for b in bodies)
    path.write_text(
        'wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\n'
        f'wrk.headers["authorization"] = "Bearer {token}"\n'
        f"local bodies = {{{listed}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #bodies + 1\n  return wrk.format(nil, nil, nil, bodies[i])\nend\n")
    return path


def run_wrk(script: Path, seconds: int, connections: int = 32, port: int = PORT, timeout: int | None = None) -> dict:
    """`timeout`: seconds before wrk gives a request up (its default, 2 s, leaves slower ones out of the latencies)."""
    waits = [f"--timeout={timeout}s"] if timeout else []
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *waits, "-s", str(script),
                          f"http://127.0.0.1:{port}/graphql"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(\w+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def ms(m: re.Match) -> float:
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]

    return {"requests_per_s": rps, "p50_ms": ms(p50), "p99_ms": ms(p99), "non_2xx": int(errors.group(1)) if errors else 0}


class Server:
    def __init__(self, database_url: str, compiled: bool) -> None:
        env = {**os.environ, "DATABASE_URL": database_url, "DB_POOL_SIZE": "40", "FIRSTCALL_COMPILED_READS": str(compiled).lower()}
        self.process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "firstcall"), "serve", "--processes", "2", "--port", str(PORT)],
                                        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self) -> Server:
        for _ in range(100):
            try:
                if httpx.get(f"http://127.0.0.1:{PORT}/healthz").status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(20)


def login(username: str) -> str:
    r = httpx.post(f"http://127.0.0.1:{PORT}/graphql", json={
        "query": "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
        "variables": {"i": {"organization": SLUG, "username": username, "password": PASSWORD}}})
    return r.json()["data"]["login"]["accessToken"]


def gql(token: str, query: str, variables: dict) -> dict:
    r = httpx.post(f"http://127.0.0.1:{PORT}/graphql", json={"query": query, "variables": variables},
                   headers={"authorization": f"Bearer {token}"})
    body = r.json()
    assert "errors" not in body, body
    return body["data"]


async def statements_per_request(database_url: str, project_gid: str) -> dict:
    """SQL statements one list request sends, by page size, on both paths (counted in-process)."""
    from api.app import create_app
    from tenants.platform import Platform
    from tenants.settings import Settings

    platform = Platform.create(Settings(DATABASE_URL=database_url))
    counts: dict = {}
    seen: list[int] = []
    try:
        for compiled in (True, False):
            app = create_app(platform, None, instrument=False, compiled=compiled)
            real_close = request_db.RequestDb.close

            async def close(self, _real=real_close):
                seen.append(self.statements)
                await _real(self)

            request_db.RequestDb.close = close
            try:
                async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as c:
                    token = (await c.post("/graphql", json={"query": "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
                             "variables": {"i": {"organization": SLUG, "username": "admin", "password": PASSWORD}}})).json()
                    headers = {"authorization": "Bearer " + token["data"]["login"]["accessToken"]}
                    for n in (1, 20, 100):
                        seen.clear()
                        query = LIST.replace("first: 20", f"first: {n}")
                        r = await c.post("/graphql", json={"query": query, "variables": {"p": project_gid}}, headers=headers)
                        assert "errors" not in r.json(), r.text
                        counts[f"{'compiled' if compiled else 'strawberry'}_rows_{n}"] = seen[-1]
            finally:
                request_db.RequestDb.close = real_close
    finally:
        await platform.close()
    return counts


async def _project_id(url: str, code: str):
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT id FROM projects WHERE code = $1", code)
    finally:
        await conn.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=2000)
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=int, default=15)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk (make bench installs it)")
    url = dsn(asyncio.run(ensure(args.projects, args.cases)))
    project = to_global_id("Project", asyncio.run(_project_id(url, "P0001")))
    intake_projects = [to_global_id("Project", asyncio.run(_project_id(url, f"P{i:04d}"))) for i in range(100, 150)]
    results: dict = {"projects": args.projects, "cases": args.cases, "connections": 32, "api_processes": 2}
    scripts = Path("/tmp") / "firstcall-bench"
    scripts.mkdir(exist_ok=True)
    for compiled in (True, False):
        with Server(url, compiled):
            admin = login("admin")
            body = {"query": LIST, "variables": {"p": project}}
            assert len(gql(admin, LIST, body["variables"])["cases"]["edges"]) == 20
            run_wrk(wrk_script(scripts / "list.lua", [body], admin), 3)  # warm-up: plans, caches
            label = "list_compiled" if compiled else "list_strawberry"
            results[label] = run_wrk(wrk_script(scripts / "list.lua", [body], admin), args.seconds)
            if compiled:
                # Intake spread over 50 projects, as calls arrive across a company (one project's
                # daily number counter is a row lock: its own cases are numbered one at a time).
                intakes = [{"query": REGISTER, "variables": {"i": {
                    "projectId": p, "kind": "REPAIR", "channel": "PHONE", "category": "water_power",
                    "publicArea": "一号楼大堂", "description": "大堂感应门不开 — benchmark"}}} for p in intake_projects]
                assert gql(admin, REGISTER, intakes[0]["variables"])["registerCase"]["errors"] == []
                results["register"] = run_wrk(wrk_script(scripts / "register.lua", intakes, admin), args.seconds)
    results["statements"] = asyncio.run(statements_per_request(url, project))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    compiled, strawberry, counts = results["list_compiled"], results["list_strawberry"], results["statements"]
    growth = max(max(v for k, v in counts.items() if k.startswith(p)) - min(v for k, v in counts.items() if k.startswith(p))
                 for p in ("compiled", "strawberry"))
    record("case_intake", args=args, parser=ap, figures=[
        Figure("list, compiled", compiled["requests_per_s"], "requests/s"), Figure("p99", compiled["p99_ms"], "ms"),
        Figure("strawberry only", strawberry["requests_per_s"], "requests/s"),
        Figure("registerCase", results["register"]["requests_per_s"], "requests/s")],
        ratios={"compiled ÷ strawberry": compiled["requests_per_s"] / strawberry["requests_per_s"]},
        targets=[Target("SQL statements added from 1 to 100 rows", growth, "<=", 0, "")])


if __name__ == "__main__":
    main()
