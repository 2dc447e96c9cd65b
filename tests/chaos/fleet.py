"""What the scanner's chaos tests share: their size from CHAOS_* (`make test` runs them small,
`make chaos` full), real `firstcall scanner` and `firstcall worker` processes killed with SIGKILL
at random moments and restarted, and the lateness bound held only when asked."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRSTCALL = str(Path(sys.executable).with_name("firstcall"))
CASES = int(os.environ.get("CHAOS_CASES", "150"))
SPREAD_SECONDS = float(os.environ.get("CHAOS_SPREAD_SECONDS", "12"))
STRICT = os.environ.get("CHAOS_STRICT") == "1"
# A killed scanner's batch waits for PostgreSQL to end its session; a started one needs a moment
# to import and connect: the longest gap with no scanner, plus start-up and a poll.
START_AND_POLL_SECONDS = 4.0
# What each command writes once it has started (imported, connected): the moment it is "up".
UP = {"scanner": b"scanner firing SLA timers", "worker": b"worker running"}


def check_lateness(late: float, no_scanner: float, *, strict: bool) -> None:
    """Holds the lateness to its bound only when asked (CHAOS_STRICT=1, which `make chaos` sets)."""
    if strict:
        assert late <= no_scanner + START_AND_POLL_SECONDS, (
            f"an escalation fired {late:.2f} s late; no scanner ran for {no_scanner:.2f} s at most")


def fleet_env(db_urls, broker_url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": db_urls.owner.render_as_string(hide_password=False),
            "APP_DATABASE_URL": db_urls.app.render_as_string(hide_password=False), "BROKER_URL": broker_url}


class Fleet:
    """Two scanners and a worker, each killed and restarted at random moments."""

    def __init__(self, env: dict[str, str], logs: Path | None = None) -> None:
        self.env, self.logs = env, logs  # logs: a folder for each process's stderr, kept across restarts
        self.commands = {"scanner-a": ["scanner"], "scanner-b": ["scanner"], "worker": ["worker", "--threads", "2"]}
        self.procs: dict[str, subprocess.Popen | None] = {}
        self.starts: dict[str, int] = {}
        self.all_scanners_down = 0.0  # the longest time no scanner ran
        self._none_since: float | None = None

    def start(self, name: str) -> None:
        self.starts[name] = self.starts.get(name, 0) + 1
        if self.logs is None:
            self.procs[name] = subprocess.Popen([FIRSTCALL, *self.commands[name]], env=self.env, cwd=ROOT,
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return
        with (self.logs / f"{name}.log").open("ab") as err:
            self.procs[name] = subprocess.Popen([FIRSTCALL, *self.commands[name]], env=self.env, cwd=ROOT,
                                                stdout=subprocess.DEVNULL, stderr=err)

    async def up(self, names: list[str], timeout: float = 60.0) -> None:
        """Waits (at most `timeout`) until each named process has said it is up since its last start."""
        assert self.logs is not None, "telling when a process is up reads its log"
        logs = self.logs
        deadline = time.monotonic() + timeout

        def is_up(name: str) -> bool:
            log = logs / f"{name}.log"
            return log.exists() and log.read_bytes().count(UP[self.commands[name][0]]) >= self.starts[name]

        while not all(is_up(n) for n in names) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)

    def log_tail(self, chars: int = 3000) -> str:
        if self.logs is None:
            return ""
        return "\n".join(f"--- {f.name}\n{f.read_text(errors='replace')[-chars:]}" for f in sorted(self.logs.glob("*.log")))

    def kill(self, name: str) -> None:
        proc = self.procs.get(name)
        if proc is not None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            self.procs[name] = None

    def note(self) -> None:
        running = any(self.procs.get(n) is not None for n in ("scanner-a", "scanner-b"))
        now = time.monotonic()
        if not running and self._none_since is None:
            self._none_since = now
        if running and self._none_since is not None:
            self.all_scanners_down = max(self.all_scanners_down, now - self._none_since)
            self._none_since = None

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc is not None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            if proc is not None:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


async def kill_and_restart(fleet: Fleet, rng: random.Random, seconds: float, done: Callable[[], Awaitable[bool]], *,
                           once_up: bool = False) -> None:
    """Starts the fleet, then round after round kills one process, or both scanners at once (then
    no timer can fire until one is back), and restarts it, until `done` or `seconds` have passed. With
    `once_up` a victim is killed only at a random moment after it came up, so on a loaded machine,
    where starting takes seconds, the kills still land mid-work rather than mid-import. Stops the
    fleet in the end."""
    for name in fleet.commands:
        fleet.start(name)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            await asyncio.sleep(rng.uniform(0.2, 1.2))
            victims = rng.choice([["scanner-a"], ["scanner-b"], ["worker"], ["scanner-a", "scanner-b"]])
            if once_up:
                await fleet.up(victims)
                await asyncio.sleep(rng.uniform(0.0, 1.5))
            for victim in victims:
                fleet.kill(victim)
            fleet.note()
            await asyncio.sleep(rng.uniform(0.1, 1.5))
            for victim in victims:
                fleet.start(victim)
            fleet.note()
            if await done():
                break
    finally:
        fleet.stop()
