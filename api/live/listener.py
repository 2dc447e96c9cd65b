"""One LISTEN connection per API process, fanned out to the subscriptions of that process.

The outbox trigger (migration 0017) announces each committed `case.*` / `alert.*` row on
`firstcall_live` with its company, project, topic and the id it names — never its contents; a new
inbox notification is announced the same way as `inbox.notified` (domain/notifications/inbox.py). Every
API process hears every company's announcements, so subscribers are grouped by company and a
subscription re-reads what it is told of under its own tenant scope before sending anything.

A subscriber that falls more than QUEUE_SIZE events behind is not slowed down for, and not
silently thinned either: its queue is emptied and it ends with a coded error, so the client
knows to subscribe again and refetch.

A LISTEN connection sends nothing of its own, and a half-open TCP connection never reports its
end, so the listener asks it `SELECT 1` every HEALTH_SECONDS: no answer within HEALTH_TIMEOUT is
a lost connection like any other."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

import asyncpg
import orjson

log = logging.getLogger("firstcall.live")
CHANNEL = "firstcall_live"
QUEUE_SIZE = 256
HEALTH_SECONDS = 15.0
HEALTH_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class Note:
    """What the database said: enough to decide who might care and what to re-read."""

    org_id: UUID
    project_id: UUID | None
    topic: str
    event_id: UUID
    case_id: UUID | None
    alert_id: UUID | None
    user_id: UUID | None = None  # an `inbox.*` note: whose notification
    notification_id: UUID | None = None

    @classmethod
    def parse(cls, payload: str) -> Note | None:
        try:
            d = orjson.loads(payload)
            return cls(org_id=UUID(d["org_id"]), project_id=_uuid(d.get("project_id")), topic=str(d["topic"]),
                       event_id=UUID(d["id"]), case_id=_uuid(d.get("case_id")), alert_id=_uuid(d.get("alert_id")),
                       user_id=_uuid(d.get("user_id")), notification_id=_uuid(d.get("notification_id")))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None


def _uuid(value: object) -> UUID | None:
    return UUID(str(value)) if value else None


class Interrupted(Exception):
    """The subscription cannot go on without missing events: it fell behind (`behind`), or the
    listener lost its connection. The client subscribes again and refetches."""

    def __init__(self, reason: str, *, behind: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.behind = behind


class Subscriber:
    def __init__(self, org_id: UUID, prefix: str, size: int, user_id: UUID | None = None) -> None:
        self.org_id = org_id
        self.prefix = prefix
        self.user_id = user_id
        self.listening = False
        self._queue: asyncio.Queue = asyncio.Queue(size)

    def offer(self, note: Note) -> None:
        try:
            self._queue.put_nowait(note)
        except asyncio.QueueFull:
            self.interrupt("订阅落后太多，已被中止，请重新订阅并刷新数据。"
                           "This subscription fell too far behind and was ended; subscribe again and refetch.", behind=True)

    def interrupt(self, reason: str, *, behind: bool = False) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(Interrupted(reason, behind=behind))

    async def __aiter__(self) -> AsyncIterator[Note]:
        while True:
            note = await self._queue.get()
            if isinstance(note, Interrupted):
                raise note
            yield note


class LiveFeed:
    """Started by the first subscription, reconnects with backoff, closed at shutdown."""

    def __init__(self, dsn: str, *, queue_size: int = QUEUE_SIZE, health_every: float = HEALTH_SECONDS,
                 health_timeout: float = HEALTH_TIMEOUT) -> None:
        self._dsn = dsn
        self._queue_size = queue_size
        self._health_every = health_every
        self._health_timeout = health_timeout
        self._groups: dict[UUID, set[Subscriber]] = {}
        self._task: asyncio.Task | None = None
        self._listening = asyncio.Event()
        self.reconnects = 0  # counted for tests and metrics

    def subscribers(self, org_id: UUID | None = None) -> int:
        """Subscriptions that hear events now (LISTEN in place)."""
        groups = [self._groups.get(org_id, set())] if org_id is not None else list(self._groups.values())
        return sum(1 for group in groups for sub in group if sub.listening)

    @contextlib.asynccontextmanager
    async def subscribe(self, org_id: UUID, prefix: str, user_id: UUID | None = None) -> AsyncIterator[Subscriber]:
        """Registered before it waits for LISTEN, so nothing committed after this returns is missed.
        With `user_id`, only the notes addressed to that person are queued (the inbox): a busy
        company's other notifications never fill someone's queue."""
        sub = Subscriber(org_id, prefix, self._queue_size, user_id)
        self._groups.setdefault(org_id, set()).add(sub)
        try:
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._run(), name="live-listener")
            async with asyncio.timeout(10):
                await self._listening.wait()
            sub.listening = True
            yield sub
        finally:
            group = self._groups.get(org_id)
            if group is not None:
                group.discard(sub)
                if not group:
                    del self._groups[org_id]

    def _dispatch(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        note = Note.parse(payload)
        if note is None:
            log.warning("unreadable live notification %r", payload[:200])
            return
        for sub in self._groups.get(note.org_id, ()):
            if note.topic.startswith(sub.prefix) and (sub.user_id is None or sub.user_id == note.user_id):
                sub.offer(note)

    async def _run(self) -> None:
        delay = 0.2
        while True:
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(self._dsn, timeout=10)
                lost = asyncio.Event()
                conn.add_termination_listener(lambda _c, lost=lost: lost.set())
                await conn.add_listener(CHANNEL, self._dispatch)
                self._listening.set()
                delay = 0.2
                await self._until_lost(conn, lost)
                log.warning("live listener lost its connection; reconnecting")
                # What was committed meanwhile is not replayed, so no subscription may carry on
                # as if it had seen everything.
                for group in self._groups.values():
                    for sub in group:
                        sub.interrupt("实时推送已中断，请重新订阅并刷新数据。The live feed was interrupted; subscribe again and refetch.")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("live listener cannot connect; retrying in %.1f s", delay, exc_info=True)
            finally:
                self._listening.clear()
                if conn is not None and not conn.is_closed():
                    with contextlib.suppress(Exception):
                        await conn.close(timeout=2)
            self.reconnects += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def _until_lost(self, conn: asyncpg.Connection, lost: asyncio.Event) -> None:
        """Returns once the connection is closed, or fails to answer a health check."""
        while True:
            with contextlib.suppress(TimeoutError):  # quiet for a while: ask it below
                await asyncio.wait_for(lost.wait(), self._health_every)
                return
            try:
                await conn.fetchval("SELECT 1", timeout=self._health_timeout)
            except Exception:
                log.warning("live listener's connection failed its health check", exc_info=True)
                conn.terminate()  # a polite close would wait on a connection that no longer answers
                return

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
