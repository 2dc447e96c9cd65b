"""The embedded default: `firstcall demo` with no configuration starts PostgreSQL from the
pgserver package, migrates, seeds the demo company, serves /graphql and /readyz, and on a
second run reuses what it made."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIRSTCALL = str(Path(sys.executable).with_name("firstcall"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "APP_DATABASE_URL", "BROKER_URL")}
    env["FIRSTCALL_DATA_DIR"] = str(data_dir)
    env["FIRSTCALL_DEMO_TRICKLE_SECONDS"] = "1"
    return env


def test_demo_runs_on_the_embedded_default_and_reuses_its_data(tmp_path):
    data_dir = tmp_path / "data"
    port = _free_port()
    proc = subprocess.Popen([FIRSTCALL, "demo", "--port", str(port)], env=_env(data_dir), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        ready = None
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read().decode()[-4000:]
            try:
                ready = httpx.get(f"{base}/readyz", timeout=2)
                if ready.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        assert ready is not None and ready.status_code == 200
        assert ready.json()["checks"] == {"database": True, "broker": True}
        info = json.loads((data_dir / "demo.json").read_text())
        assert info["organization"] == "demo" and info["url"].endswith("/graphql")
        roles = {login["role"] for login in info["logins"]}
        assert roles == {"org_admin", "hq_supervisor", "hq_quality", "project_manager", "cs_supervisor",
                         "cs_agent", "dispatcher", "technician", "staff"}
        hq = next(login for login in info["logins"] if login["role"] == "hq_supervisor")
        r = httpx.post(f"{base}/graphql", json={"query": 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }',
                                               "variables": {"i": {"organization": "demo", "username": hq["username"],
                                                                   "password": hq["password"]}}})
        token = r.json()["data"]["login"]["accessToken"]
        r = httpx.post(f"{base}/graphql", headers={"authorization": f"Bearer {token}"},
                       json={"query": "{ organization { name } projects(first: 50) { totalCount edges { node { propertyType } } } }"})
        body = r.json()["data"]
        assert body["organization"]["name"] == "示范物业"
        assert body["projects"]["totalCount"] == 12
        assert len({e["node"]["propertyType"] for e in body["projects"]["edges"]}) >= 6
        r = httpx.post(f"{base}/graphql", headers={"x-api-key": info["api_key"]},
                       json={"query": "{ projects { totalCount } }"})
        assert r.json()["data"]["projects"]["totalCount"] == 2
        # The owner app's key signs the printed resident in, and their token sees their own flats.
        app = info["owner_app"]
        r = httpx.post(f"{base}/graphql", headers={"x-api-key": app["api_key"]},
                       json={"query": "mutation($p: String!) { residentSignIn(input: {phone: $p}) "
                                      "{ sessions { token resident { name } } errors { code } } }",
                             "variables": {"p": app["phone"]}})
        signed = r.json()["data"]["residentSignIn"]
        assert signed["errors"] == [] and signed["sessions"][0]["resident"]["name"] == app["resident"]
        resident = {"authorization": f"Bearer {signed['sessions'][0]['token']}"}
        r = httpx.post(f"{base}/graphql", headers=resident, json={"query": "{ residentSelf { units { unit { id label } } } }"})
        units = r.json()["data"]["residentSelf"]["units"]
        assert units
        # … and last month's property fee of their flat, overdue, with the account owing it.
        r = httpx.post(f"{base}/graphql", headers=resident, json={
            "query": "query($u: ID!) { residentSelf { account(unitId: $u) { outstandingFen overdueFen } "
                     "bills(unitId: $u) { totalCount edges { node { chargeItem { name } outstanding overdue stateLabel } } } } }",
            "variables": {"u": units[0]["unit"]["id"]}})
        fees = r.json()["data"]["residentSelf"]
        bill = fees["bills"]["edges"][0]["node"]
        assert fees["bills"]["totalCount"] == 1 and bill["chargeItem"]["name"] == "物业服务费" and bill["overdue"]
        assert fees["account"]["outstandingFen"] == fees["account"]["overdueFen"] == bill["outstanding"] > 0
        # Months of history, and a trickle of new cases while the demo runs (every second here).
        cases = "{ cases(first: 1) { totalCount edges { node { number receivedAt } } } }"
        r = httpx.post(f"{base}/graphql", headers={"authorization": f"Bearer {token}"}, json={"query": cases})
        first = r.json()["data"]["cases"]
        assert info["history_cases"] > 3000 and first["totalCount"] >= info["history_cases"]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            time.sleep(1)
            latest = httpx.post(f"{base}/graphql", headers={"authorization": f"Bearer {token}"}, json={"query": cases}).json()
            if latest["data"]["cases"]["totalCount"] > first["totalCount"]:
                break
        assert latest["data"]["cases"]["totalCount"] > first["totalCount"], "the trickle adds cases"
        # Headquarters sees the history's figures from the start: last month is whole on any day
        # (this month may have begun today).
        overview = httpx.post(f"{base}/graphql", headers={"authorization": f"Bearer {token}"}, json={
            "query": "{ orgOverview { previousTotals { received responseRate satisfactionRate } projects { project { code } } } }"}).json()
        totals = overview["data"]["orgOverview"]["previousTotals"]
        assert totals["received"] > 100 and 0.5 < totals["responseRate"] <= 1 and 0.8 < totals["satisfactionRate"] <= 1, totals
        assert len(overview["data"]["orgOverview"]["projects"]) == 12
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    assert proc.returncode == 0
    assert not (data_dir / "pg" / "postmaster.pid").exists(), "the embedded server stops with the demo"
    again = subprocess.run([FIRSTCALL, "demo", "--seed-only"], env=_env(data_dir), cwd=ROOT,
                           capture_output=True, timeout=180)
    assert again.returncode == 0, again.stdout.decode()[-3000:] + again.stderr.decode()[-3000:]
    assert json.loads((data_dir / "demo.json").read_text())["api_key"] == info["api_key"]
    assert not (data_dir / "pg" / "postmaster.pid").exists()


def test_embedded_server_has_trigram_search_and_refuses_a_foreign_data_folder(tmp_path):
    import asyncio

    import asyncpg

    from tenants.db import EmbeddedDatabaseError, start_embedded, stop_embedded

    url = start_embedded(tmp_path)
    try:
        async def check() -> float:
            conn = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
            try:
                await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                return await conn.fetchval("SELECT similarity('电梯故障', '电梯有故障')")
            finally:
                await conn.close()

        assert asyncio.run(check()) > 0.3
    finally:
        stop_embedded()
    old = tmp_path / "old" / "pg"
    old.mkdir(parents=True)
    (old / "PG_VERSION").write_text("16\n")
    with pytest.raises(EmbeddedDatabaseError, match="Remove that folder"):
        start_embedded(tmp_path / "old")
    proc = subprocess.run([FIRSTCALL, "migrate"], env=_env(tmp_path / "old"), cwd=ROOT, capture_output=True, timeout=60)
    assert proc.returncode != 0 and b"Remove that folder" in proc.stderr and b"Traceback" not in proc.stderr
