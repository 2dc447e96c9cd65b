"""What the benchmarks share to run the application as real processes on loopback: one API server
(`firstcall serve`), or the API, the outbox relay and a worker on Redis; a company user's token."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from workers.broker import make_broker

ROOT = Path(__file__).resolve().parent.parent
FIRSTCALL = str(ROOT / ".venv" / "bin" / "firstcall")
LOGIN = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }"


def _env(dsn: str, extra: dict[str, str]) -> dict[str, str]:
    # PYTHONPATH: this tree's code, not whichever tree the shared virtualenv was installed from.
    return {**os.environ, **extra, "DATABASE_URL": dsn.replace("postgresql://", "postgresql+asyncpg://"), "PYTHONPATH": str(ROOT)}


@contextlib.contextmanager
def serve(dsn: str, port: int, env: dict[str, str] | None = None) -> Iterator[str]:
    """`firstcall serve` on two processes, its base URL once it answers."""
    server = subprocess.Popen([FIRSTCALL, "serve", "--processes", "2", "--port", str(port)], env=_env(dsn, env or {}),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                httpx.get(f"{base}/healthz")
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(20)


def bearer(base: str, slug: str, username: str, password: str) -> dict[str, str]:
    login = httpx.post(f"{base}/graphql", json={"query": LOGIN, "variables": {"i": {
        "organization": slug, "username": username, "password": password}}})
    return {"authorization": "Bearer " + login.json()["data"]["login"]["accessToken"]}


def flush_broker(url: str) -> None:
    """An empty broker: nothing left over from an earlier run is delivered into this one."""
    broker = make_broker(url)
    broker.declare_queue("events")
    broker.flush_all()
    broker.close()


class Pipeline:
    """The API, the relay and a worker, as separate processes on Redis."""

    def __init__(self, dsn: str, *, broker: str, port: int, processes: int = 1) -> None:
        # Benchmarks' webhook receivers listen on loopback.
        env = _env(dsn, {"BROKER_URL": broker, "FIRSTCALL_ALLOW_LOOPBACK_DELIVERIES": "true"})
        self.port = port
        self.procs = [subprocess.Popen([FIRSTCALL, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                      for args in (["serve", "--port", str(port), "--processes", str(processes)], ["scanner"],
                                   ["worker", "--threads", "4"])]

    async def __aenter__(self) -> Pipeline:
        async with httpx.AsyncClient() as c:
            for _ in range(600):  # two minutes: on a loaded machine the API took half a minute to import
                with contextlib.suppress(httpx.HTTPError):  # not listening yet
                    if (await c.get(f"http://127.0.0.1:{self.port}/healthz")).status_code == 200:
                        await asyncio.sleep(3)  # the scanner and the worker connected too
                        return self
                await asyncio.sleep(0.2)
        raise RuntimeError("the API did not start")

    async def __aexit__(self, *_: object) -> None:
        for p in self.procs:
            p.send_signal(signal.SIGTERM)
        for p in self.procs:
            p.wait(30)
