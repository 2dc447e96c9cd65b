"""The case list side by side in one run (DESIGN §10): the floor (Starlette + asyncpg + orjson,
no GraphQL), PostGraphile v5 on Node 22, and Firstcall on its compiled path and through
strawberry alone — the same database (bench/case_data.py), the same 20 newest cases of a
project with project and assignee names, the same row-level security settings, two processes
each, wrk with 32 connections.

    .venv/bin/python bench/list_peers.py [--seconds 15]     (make bench-peers)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.graphql.types.node import to_global_id  # noqa: E402
from bench.case_data import dsn, ensure  # noqa: E402
from bench.case_intake import PORT, Server, login, run_wrk, wrk_script  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "list_peers.json"
NODE = ROOT / "bench" / "postgraphile" / "node_modules" / ".bin" / "node"
OURS = ("query($p: ID!) { cases(filter: {projectId: $p}, first: 20) { edges { node { id number state severity receivedAt "
        "commitmentDue project { name } assignee { displayName } } } } }")
POSTGRAPHILE = ("query($p: UUID!) { allCases(first: 20, condition: {projectId: $p}, orderBy: [RECEIVED_AT_DESC]) { nodes { "
                "id number state severity receivedAt commitmentDue projectByOrgIdAndProjectId { name } "
                "userByOrgIdAndAssigneeId { displayName } } } }")


class Process:
    def __init__(self, args: list[str], env: dict[str, str], port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(args, env={**os.environ, **env}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self) -> Process:
        for _ in range(150):
            try:
                httpx.post(f"http://127.0.0.1:{self.port}/graphql", json={}, timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.process.args} did not start")

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(20)


def measure(name: str, body: dict, token: str, port: int, seconds: int, check) -> dict:
    r = httpx.post(f"http://127.0.0.1:{port}/graphql", json=body, headers={"authorization": f"Bearer {token or '-'}"})
    assert check(r.json()) == 20, r.text[:500]
    script = wrk_script(Path("/tmp") / f"firstcall-peer-{name}.lua", [body], token)
    run_wrk(script, 3, port=port)  # warm-up: plans, caches, JIT
    return run_wrk(script, seconds, port=port)


async def ids(url: str) -> tuple[str, str]:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        org = await conn.fetchval("SELECT org_id FROM organizations WHERE slug = 'bench-cases'")
        project = await conn.fetchval("SELECT id FROM projects WHERE code = 'P0001'")
        return str(org), str(project)
    finally:
        await conn.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=15)
    args = ap.parse_args()
    url = asyncio.run(ensure())
    owner = dsn(url)
    app_url = dsn(url.set(username="firstcall_app", password="firstcall_app"))
    org, project = asyncio.run(ids(owner))
    results: dict = {"cases": 1_000_000, "projects": 2000, "connections": 32, "processes": 2}
    env = {"DATABASE_URL": app_url, "ORG_ID": org}
    with Process([str(ROOT / ".venv" / "bin" / "uvicorn"), "bench.floor_app:app", "--workers", "2", "--port", str(PORT + 2),
                  "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning"], env, PORT + 2):
        results["floor"] = measure("floor", {"variables": {"p": project}}, "-", PORT + 2, args.seconds,
                                   lambda b: len(b["data"]["cases"]))
    if NODE.exists():
        with Process([str(NODE), "bench/postgraphile/server.mjs"], {**env, "PORT": str(PORT + 1), "WORKERS": "2"}, PORT + 1):
            results["postgraphile"] = measure("postgraphile", {"query": POSTGRAPHILE, "variables": {"p": project}}, "", PORT + 1,
                                              args.seconds, lambda b: len(b["data"]["allCases"]["nodes"]))
    else:
        print("PostGraphile is not installed: `make bench-peers` runs npm ci in bench/postgraphile", file=sys.stderr)
    for compiled in (True, False):
        with Server(owner, compiled):
            body = {"query": OURS, "variables": {"p": to_global_id("Project", project)}}
            results["firstcall_compiled" if compiled else "firstcall_strawberry"] = measure(
                "firstcall", body, login("admin"), PORT, args.seconds, lambda b: len(b["data"]["cases"]["edges"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
