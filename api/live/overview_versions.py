"""The companies' overview versions as this process knows them, pushed by PostgreSQL (migration
0062: `firstcall_overview` says `<company> <version>` whenever a company's version moves).

What it knows is only ever trusted while its LISTEN connection is up and has been up since: each
(re)subscription starts a new **epoch** with nothing known, and losing the connection — closed,
terminated, or silent past a health check — ends the epoch and forgets everything, so the overview
falls back to asking the database until the listener is back. A version is learned from a
notification, or from a read of the database that started inside the current epoch (`mark` before
the read, `learned` after): LISTEN was in place before that read's snapshot, so any later change of
the company's version is announced on this connection, in commit order, and raises what is known.
What is known is the highest version heard or read, never lowered.

A LISTEN connection sends nothing of its own, and a half-open TCP connection never reports its end,
so it is asked `SELECT 1` every HEALTH_SECONDS, and what is known is trusted only for LEASE_SECONDS
after the last answer: a connection that stops answering without closing can leave the process
serving old answers for at most that long. An answer that came back proves that nothing was lost
in between (one connection, notifications in order), so a slow check only pauses the trust."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from uuid import UUID

import asyncpg

log = logging.getLogger("firstcall.overview")
CHANNEL = "firstcall_overview"
HEALTH_SECONDS = 1.0
HEALTH_TIMEOUT = 5.0
LEASE_SECONDS = 3.0
APPLICATION_NAME = "firstcall overview versions"  # the listener in pg_stat_activity


class VersionWatch:
    """One per API application (its GraphQL view), started by its lifespan, reconnects with
    backoff, closed at shutdown. An application whose lifespan never ran (the tests' in-process
    client) has one that never listens: its overviews always ask."""

    def __init__(self, *, health_every: float = HEALTH_SECONDS, health_timeout: float = HEALTH_TIMEOUT,
                 lease: float = LEASE_SECONDS) -> None:
        self._health_every = health_every
        self._health_timeout = health_timeout
        self._lease = lease
        self._known: dict[UUID, int] = {}
        self._epoch = 0
        self._live = False
        self._answered = 0.0  # monotonic time of the connection's last sign of life
        self._task: asyncio.Task | None = None
        self._conn: asyncpg.Connection | None = None
        self.reconnects = 0  # counted for tests and metrics

    def _trusted(self) -> bool:
        return self._live and time.monotonic() - self._answered < self._lease

    def current(self, org: UUID) -> int | None:
        """The company's version as known now, or None: not known, or not to be trusted."""
        return self._known.get(org) if self._trusted() else None

    def mark(self) -> int | None:
        """Taken before reading a version from the database: the epoch it may be learned in."""
        return self._epoch if self._live else None

    def learned(self, org: UUID, version: int, mark: int | None) -> None:
        """A version read from the database by a read that started at `mark`."""
        if mark is not None and self._live and mark == self._epoch and version > self._known.get(org, -1):
            self._known[org] = version

    @property
    def listening(self) -> bool:
        return self._live

    def start(self, dsn: str) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(dsn), name="overview-versions")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None

    def _forget(self) -> None:
        self._live = False
        self._known = {}
        self._epoch += 1
        self._conn = None  # what the old connection still says is not heard

    def _ended(self, conn: asyncpg.Connection, lost: asyncio.Event) -> None:
        if self._conn is conn:
            self._forget()
        lost.set()

    def _heard(self, conn: object, _pid: int, _channel: str, payload: str) -> None:
        # Heard from the moment LISTEN is sent, before the epoch opens: every notification on this
        # connection is of a commit after LISTEN took effect, and a true version of its company.
        if conn is not self._conn:
            return
        try:
            org, version = payload.split(" ")
            org_id, number = UUID(org), int(version)
        except ValueError:
            log.warning("unreadable overview notification %r", payload[:200])
            return
        self._answered = time.monotonic()
        if number > self._known.get(org_id, -1):
            self._known[org_id] = number

    async def _run(self, dsn: str) -> None:
        delay = 0.2
        while True:
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(dsn, timeout=10, server_settings={"application_name": APPLICATION_NAME})
                lost = asyncio.Event()
                self._conn = conn
                conn.add_termination_listener(lambda c, lost=lost: self._ended(c, lost))
                await conn.add_listener(CHANNEL, self._heard)  # LISTEN has taken effect when this returns
                if self._conn is conn and not lost.is_set() and not conn.is_closed():  # not lost meanwhile
                    self._epoch += 1
                    self._live = True
                    self._answered = time.monotonic()
                    delay = 0.2
                    await self._until_lost(conn, lost)
                log.warning("overview version listener lost its connection; reconnecting")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("overview version listener cannot connect; retrying in %.1f s", delay, exc_info=True)
            finally:
                self._forget()
                if conn is not None and not conn.is_closed():
                    with contextlib.suppress(Exception):
                        await conn.close(timeout=2)
            self.reconnects += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def _until_lost(self, conn: asyncpg.Connection, lost: asyncio.Event) -> None:
        """Returns once the connection is closed, or fails to answer a health check."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(lost.wait(), self._health_every)
                return
            asked = time.monotonic()
            try:
                await conn.fetchval("SELECT 1", timeout=self._health_timeout)
            except Exception:
                log.warning("overview version listener's connection failed its health check", exc_info=True)
                self._forget()
                conn.terminate()  # a polite close would wait on a connection that no longer answers
                return
            self._answered = max(self._answered, asked)

