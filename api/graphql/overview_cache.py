"""The overview's answers kept in this process (docs/architecture.md "KPI rollups"): a wall of HQ
screens asks for the same `orgOverview` again and again while nothing has changed. An answer is
kept under (company, overview version, scope, what was asked, month, today) and served again
while the company's version — bumped by a trigger in the same transaction as any write to what
the overview reads (migration 0055) — has not moved. The version is read first, under the
caller's row-level security, then the answer is made: an answer made from a newer state than
its version is only ever served to readers of that version, who started after it.

One entry per (company, scope, what was asked, month, today), holding the version it was made
from: an answer of an older version is replaced, not kept beside the new one. (Keyed by version
too, every write left its company's previous answers behind until the 64 MB budget evicted them:
~7–10 KB per registered case in each API process, the soak's steady growth.)

The scope is what the caller's transaction may see (its company, its projects or all of them,
the resident), so two callers with different projects never share an entry. Each API process
keeps its own entries; the version check is what makes that correct. Concurrent misses for one
key wait on the first one's answer instead of each making it."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from api.context import Context
from domain.kpi.overview_version import overview_version

T = TypeVar("T")
BUDGET = 64 * 1024 * 1024  # the weights of the entries kept: rendered bytes, or an estimate


@dataclass
class _Entry:
    value: Any
    weight: int
    version: Hashable = None


class OverviewCache:
    """A least-recently-used map bounded by the entries' weights, with counters for tests and benchmarks."""

    def __init__(self, budget: int = BUDGET) -> None:
        self.budget = budget
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._weight = 0
        self._pending: dict[Hashable, asyncio.Future[Any]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()
        self._weight = 0
        self.hits = self.misses = 0

    def get(self, key: Hashable, version: Hashable = None) -> Any | None:
        entry = self._entries.get(key)
        if entry is None or entry.version != version:
            return None
        self._entries.move_to_end(key)
        return entry.value

    def put(self, key: Hashable, value: Any, weight: int, version: Hashable = None) -> None:
        if weight > self.budget:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._weight -= old.weight
        self._entries[key] = _Entry(value, weight, version)
        self._weight += weight
        while self._weight > self.budget:
            _, evicted = self._entries.popitem(last=False)
            self._weight -= evicted.weight

    async def remembered(self, key: Hashable, make: Callable[[], Awaitable[T]], weigh: Callable[[T], int],
                         version: Hashable = None) -> T:
        """`make()`'s answer under `key` for `version`; an answer kept for another version is
        replaced (a reader of an older version that finishes last puts its own back: only ever
        served to readers of that version)."""
        hit = self.get(key, version)
        if hit is not None:
            self.hits += 1
            return hit  # type: ignore[no-any-return]
        pending_key = (key, version)
        pending = self._pending.get(pending_key)
        if pending is not None:
            try:
                value: T = await asyncio.shield(pending)
                self.hits += 1
                return value
            except Exception:  # noqa: BLE001 — the first maker's failure is its own; make it here
                pass
        self.misses += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[pending_key] = future
        try:
            value = await make()
        except BaseException as error:
            if not future.done():
                future.set_exception(error if isinstance(error, Exception) else RuntimeError("cancelled"))
                future.exception()  # retrieved: nobody need wait on it
            raise
        finally:
            if self._pending.get(pending_key) is future:
                del self._pending[pending_key]
        future.set_result(value)
        self.put(key, value, weigh(value), version)
        return value


CACHE = OverviewCache()


def scope_key(context: Context) -> Hashable:
    """What the caller's transaction may see: its company, its projects (None: all), the resident."""
    scope = context.db.scope
    if scope is None:
        raise RuntimeError("the overview is answered for a caller only")
    return (scope.org_id, None if scope.projects is None else tuple(sorted(str(p) for p in scope.projects)), scope.resident_id)


async def overview_answer(context: Context, what: Hashable, month: date, today: datetime, make: Callable[[], Awaitable[T]],
                          weigh: Callable[[T], int]) -> T:
    """`make()`'s answer for this caller's scope, month and day, kept until the company's overview changes."""
    version = await overview_version(context.db)
    return await CACHE.remembered((scope_key(context), what, month, today), make, weigh, version)
