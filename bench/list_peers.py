"""The case list side by side in one run (DESIGN §10): the floor (Starlette + asyncpg + orjson,
no GraphQL), PostGraphile v5 on Node 22, and Firstcall on its compiled path and through
strawberry alone — the same database (bench/case_data.py), the same 20 newest cases of a
project with project and assignee names, the same row-level security settings, two processes
each, wrk with 32 connections.

With `--before REV` the compiled path of that commit is measured too, from a temporary git
worktree (bench/revision.py), on the same database with the same settings: "ours (REV)"
beside "ours (HEAD)" — what a refactor must show to be no slower.

The servers take turns, one at a time, for `--rounds` rounds; every other round runs them in
reverse order, so a steady drift of the machine lands on all of them alike.

    .venv/bin/python bench/list_peers.py [--seconds 15] [--rounds 2] [--before REV]
                                         [--projects 2000 --cases 1000000 --database fc_bench_cases]
    (make bench-peers [BEFORE=REV])
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.graphql.types.node import to_global_id  # noqa: E402
from bench.case_data import DB, dsn, ensure  # noqa: E402
from bench._results import Figure, Target, record, results_dir  # noqa: E402
from bench.case_intake import PORT, login, run_wrk, wrk_script  # noqa: E402
from bench.revision import checkout, git, launcher, schema_gap  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = results_dir() / "list_peers.json"
PYTHON = ROOT / ".venv" / "bin" / "python"
NODE = ROOT / "bench" / "postgraphile" / "node_modules" / ".bin" / "node"
LOGS = Path("/tmp") / "firstcall-peers"
OURS = ("query($p: ID!) { cases(filter: {projectId: $p}, first: 20) { edges { node { id number state severity receivedAt "
        "commitmentDue project { name } assignee { displayName } } } } }")
POSTGRAPHILE = ("query($p: UUID!) { allCases(first: 20, condition: {projectId: $p}, orderBy: [RECEIVED_AT_DESC]) { nodes { "
                "id number state severity receivedAt commitmentDue projectByOrgIdAndProjectId { name } "
                "userByOrgIdAndAssigneeId { displayName } } } }")


@dataclass
class Peer:
    """One server under test: how to start it and what to ask it."""
    name: str
    args: list[str]
    env: dict[str, str]
    port: int
    body: dict
    rows: Callable[[dict], int]
    ours: bool = False  # ours needs a signed-in user's token
    rounds: list[dict] = field(default_factory=list)


class Process:
    def __init__(self, peer: Peer) -> None:
        self.peer = peer
        LOGS.mkdir(exist_ok=True)
        self.log = LOGS / f"{peer.name.replace(' ', '-')}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(peer.args, env={**os.environ, **peer.env}, cwd=ROOT, stdout=log, stderr=log)

    def __enter__(self) -> Process:
        for _ in range(150):
            if self.process.poll() is not None:
                break
            try:
                httpx.post(f"http://127.0.0.1:{self.peer.port}/graphql", json={}, timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.2)  # not listening yet
        self.__exit__()
        raise RuntimeError(f"{self.peer.name} did not start; its output is in {self.log}")

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(20)


def measure(peer: Peer, seconds: int) -> dict:
    token = login("admin") if peer.ours else "-"
    # A generous timeout: the first answer of a process may wait for its schema or plans.
    r = httpx.post(f"http://127.0.0.1:{peer.port}/graphql", json=peer.body, headers={"authorization": f"Bearer {token}"},
                   timeout=60)
    assert peer.rows(r.json()) == 20, f"{peer.name}: {r.text[:500]}"
    script = wrk_script(LOGS / f"{peer.name.replace(' ', '-')}.lua", [peer.body], token)
    run_wrk(script, 3, port=peer.port)  # warm-up: plans, caches, JIT
    return run_wrk(script, seconds, port=peer.port)


def ours(name: str, tree: Path, owner: str, project: str, compiled: bool = True) -> Peer:
    """`firstcall serve` of the tree at `tree`: its packages first on the path (-P keeps the
    working directory off it), the same database, pool and process count for every tree."""
    env = {"PYTHONPATH": str(tree), "DATABASE_URL": owner, "DB_POOL_SIZE": "40",
           "FIRSTCALL_COMPILED_READS": str(compiled).lower()}
    found = subprocess.run([str(PYTHON), "-P", "-c", "import api; print(api.__file__)"], env={**os.environ, **env},
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(found).is_relative_to(tree), f"{name} would run {found}, not the tree at {tree}"
    return Peer(name, [str(PYTHON), "-P", "-c", launcher(tree), "serve", "--processes", "2", "--port", str(PORT)], env, PORT,
                {"query": OURS, "variables": {"p": to_global_id("Project", project)}},
                lambda b: len(b["data"]["cases"]["edges"]), ours=True)


def peers(owner: str, app_url: str, org: str, project: str, before: tuple[str, Path] | None) -> list[Peer]:
    env = {"DATABASE_URL": app_url, "ORG_ID": org}
    found = [Peer("floor", [str(ROOT / ".venv" / "bin" / "uvicorn"), "bench.floor_app:app", "--workers", "2", "--port", str(PORT + 2),
                            "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning"],
                  env, PORT + 2, {"variables": {"p": project}}, lambda b: len(b["data"]["cases"]))]
    if NODE.exists():
        found.append(Peer("postgraphile", [str(NODE), "bench/postgraphile/server.mjs"], {**env, "PORT": str(PORT + 1), "WORKERS": "2"},
                          PORT + 1, {"query": POSTGRAPHILE, "variables": {"p": project}},
                          lambda b: len(b["data"]["allCases"]["nodes"])))
    else:
        print("PostGraphile is not installed: `make bench-peers` runs npm ci in bench/postgraphile", file=sys.stderr)
    if before:
        rev, tree = before
        found.append(ours(f"ours ({rev})", tree, owner, project))
    found.append(ours("ours (HEAD)", ROOT, owner, project))
    found.append(ours("ours, strawberry only (HEAD)", ROOT, owner, project, compiled=False))
    return found


async def ids(url: str) -> tuple[str, str]:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        org = await conn.fetchval("SELECT org_id FROM organizations WHERE slug = 'bench-cases'")
        project = await conn.fetchval("SELECT id FROM projects WHERE code = 'P0001'")
        return str(org), str(project)
    finally:
        await conn.close()


def summary(peer: Peer) -> dict:
    """Means over the rounds (errors summed), and each round as measured."""
    keys = [k for k in peer.rounds[0] if k != "non_2xx"]
    return {**{k: round(statistics.fmean(r[k] for r in peer.rounds), 2) for k in keys},
            "non_2xx": sum(r["non_2xx"] for r in peer.rounds), "rounds": peer.rounds}


def check_schema(rev: str, tree: Path) -> None:
    only_old, only_new = schema_gap(tree)
    if only_old:
        sys.exit(f"{rev} has migrations this tree lacks ({', '.join(only_old)}): it cannot share this database")
    if only_new:
        print(f"note: {rev} runs on a schema with newer migrations ({', '.join(only_new)})", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--before", metavar="REV", help="also measure the compiled path of this commit (a temporary git worktree)")
    ap.add_argument("--projects", type=int, default=2000)
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--database", default=DB, help="a smaller trial run names a database of its own")
    args = ap.parse_args()
    url = asyncio.run(ensure(args.projects, args.cases, database=args.database))
    owner = dsn(url)
    app_url = dsn(url.set(username="firstcall_app", password="firstcall_app"))
    org, project = asyncio.run(ids(owner))
    results: dict = {"cases": args.cases, "projects": args.projects, "connections": 32, "processes": 2, "rounds": args.rounds,
                     "head": git("rev-parse", "--short", "HEAD")}
    with ExitStack() as stack:
        before = None
        if args.before:
            tree = stack.enter_context(checkout(args.before))
            check_schema(args.before, tree)
            before = (args.before, tree)
            results["before"] = git("rev-parse", "--short", f"{args.before}^{{commit}}")
        contenders = peers(owner, app_url, org, project, before)
        for n in range(args.rounds):
            for peer in contenders if n % 2 == 0 else contenders[::-1]:
                with Process(peer):
                    peer.rounds.append(measure(peer, args.seconds))
                last = peer.rounds[-1]
                print(f"round {n + 1}/{args.rounds} {peer.name}: {last['requests_per_s']:,.0f} requests/s, "
                      f"{last['non_2xx']} non-2xx", file=sys.stderr)
    results["servers"] = {peer.name: summary(peer) for peer in contenders}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    print(table(contenders))
    servers = results["servers"]
    ours_now, peer, floor = servers["ours (HEAD)"], servers.get("postgraphile"), servers["floor"]
    ratios = {"ours ÷ floor": ours_now["requests_per_s"] / floor["requests_per_s"]}
    targets = []
    if peer:
        ratios["ours ÷ PostGraphile"] = ours_now["requests_per_s"] / peer["requests_per_s"]
        targets = [Target("case list ÷ PostGraphile, requests/s", ratios["ours ÷ PostGraphile"], ">=", 1, "×"),
                   Target("case list p99, no worse than PostGraphile's", ours_now["p99_ms"], "<=", peer["p99_ms"], "ms")]
    if args.before:
        ratios[f"ours ÷ ours ({args.before})"] = ours_now["requests_per_s"] / servers[f"ours ({args.before})"]["requests_per_s"]
    record("list_peers", args=args, parser=ap, figures=[
        Figure("ours", ours_now["requests_per_s"], "requests/s"), Figure("p99", ours_now["p99_ms"], "ms"),
        *([Figure("PostGraphile", peer["requests_per_s"], "requests/s"), Figure("p99", peer["p99_ms"], "ms")] if peer else []),
        Figure("floor", floor["requests_per_s"], "requests/s")], ratios=ratios, targets=targets)


def table(contenders: list[Peer]) -> str:
    lines = ["| server | requests/s | p50 | p99 | non-2xx |", "|---|---|---|---|---|"]
    for peer in contenders:
        s = summary(peer)
        lines.append(f"| {peer.name} | {s['requests_per_s']:,.0f} | {s['p50_ms']:.0f} ms | {s['p99_ms']:.0f} ms | {s['non_2xx']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
