"""The overview's answers kept in this process (docs/architecture.md "KPI rollups"): a wall of HQ
screens asks for the same `orgOverview` again and again while nothing has changed. An answer is
kept under (company and scope, what was asked, month, today) with the company's overview version
it was made at — bumped by a trigger in the same transaction as any write to what the overview
reads (migration 0055) — and served again while that version has not moved. The version is read
first, under the caller's row-level security, then the answer is made: an answer made from a
newer state than its version is only ever served to readers of that version, who started after it.

A kept answer is served without a statement while the process **knows** the company's version
is still the answer's: each API process listens for the versions PostgreSQL pushes (migration
0062, api/live/overview_versions.py) and trusts what it heard only while its LISTEN connection is
up, has been up since the version was read, and answered a health check within the last few
seconds. Losing it forgets every version; until it is back and subscribed again, and a version
has been read since, a kept answer asks "is the version still N?" in one round trip as before:
the tenant settings and the question in one simple query, no transaction to open or end
(tenants/db.py tenant_status). A known version other than the answer's goes straight to making.

The window this leaves: a write commits, and its notification reaches the process a moment later
(the listening backend is signalled before the writer's COMMIT returns, then writes to its socket,
then this event loop reads it: a millisecond or so on one machine, more on a starved one). A
request answered in that moment gets the answer of just before the commit, as a request that
started just before the commit would have — the overview never promised more: it is read from
rollups that outbox consumers keep after the fact, so a screen already sees a case a moment
before the figures count it. Closing it would take a question to the database per request, which
is what this removes. Never older than that: a notification lost with its connection is covered
by forgetting on loss, and a connection that goes silent without closing by the health check's
lease (LEASE_SECONDS, 3 s at most).

The fast path consults no row-level security, so the key is as strict as the statement was: the
version is the company's (the statement read the caller's company's row only), the scope in the
key is what the caller's transaction may see, and authentication and the field's permission are
checked for every request before the answer is looked up. A resident's transaction may not read
the version, so a resident's answers are never served on what the process knows.

Each answer has a tag for HTTP revalidation (ETag / If-None-Match): a digest of its key and
version, and of the caller's grants, so no other caller ever matches it (api/graphql/view.py).

One entry per question, not per version: an answer of an older version is replaced, not kept
beside the new one. (Keyed by version too, every write left its company's previous answers
behind until the 64 MB budget evicted them: ~7–10 KB per registered case in each API process, the
soak's steady growth — bench/memory_growth.py.)

The scope is what the caller's transaction may see (its company, its projects or all of them,
the resident), so two callers with different projects never share an entry. Each API process
keeps its own entries and its own known versions; the version is what makes that correct.
Concurrent misses for one key and version wait on the first one's answer instead of each making it."""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from api.context import Context
from domain.kpi.overview_version import overview_version, still_current_sql

T = TypeVar("T")
BUDGET = 64 * 1024 * 1024  # the weights of the entries kept: rendered bytes, or an estimate


@dataclass
class Kept(Generic[T]):
    """One answer, the version it was made at, and the digest of both that callers' tags start from."""

    version: int
    value: T
    weight: int
    digest: bytes = field(repr=False)

    def tag(self, caller: bytes) -> str:
        """The answer's HTTP entity tag for one caller (its grants, printed by `caller_of`)."""
        return '"' + hashlib.blake2b(self.digest + caller, digest_size=16).hexdigest() + '"'


class OverviewCache:
    """A least-recently-used map bounded by the entries' weights, one entry per key (its latest
    version), with counters for tests and benchmarks."""

    def __init__(self, budget: int = BUDGET) -> None:
        self.budget = budget
        self.hits = 0
        self.misses = 0
        self.unasked = 0  # hits served on the version pushed to the process, without a round trip
        self._entries: OrderedDict[Hashable, Kept[Any]] = OrderedDict()
        self._weight = 0
        self._pending: dict[Hashable, asyncio.Future[Any]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()
        self._weight = 0
        self.hits = self.misses = self.unasked = 0

    def get(self, key: Hashable) -> Kept[Any] | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: Hashable, kept: Kept[Any]) -> None:
        if kept.weight > self.budget:
            return
        old = self._entries.get(key)
        if old is not None:
            if old.version > kept.version:  # a slower maker of an older version: keep the newer answer
                return
            del self._entries[key]
            self._weight -= old.weight
        self._entries[key] = kept
        self._weight += kept.weight
        while self._weight > self.budget:
            _, evicted = self._entries.popitem(last=False)
            self._weight -= evicted.weight

    async def remembered(self, key: Hashable, version: int, make: Callable[[], Awaitable[T]],
                         weigh: Callable[[T], int]) -> Kept[T]:
        """The answer kept for `key` at `version`, or `make()`'s, kept."""
        hit = self.get(key)
        if hit is not None and hit.version == version:
            self.hits += 1
            return hit
        pending = self._pending.get((key, version))
        if pending is not None:
            try:
                kept: Kept[T] = await asyncio.shield(pending)
                self.hits += 1
                return kept
            except Exception:  # noqa: BLE001 — the first maker's failure is its own; make it here
                pass
        self.misses += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[(key, version)] = future
        try:
            value = await make()
        except BaseException as error:
            if not future.done():
                future.set_exception(error if isinstance(error, Exception) else RuntimeError("cancelled"))
                future.exception()  # retrieved: nobody need wait on it
            raise
        finally:
            if self._pending.get((key, version)) is future:
                del self._pending[(key, version)]
        # The digest whether or not the answer is kept: an answer too large to keep still has a tag.
        kept = Kept(version, value, weigh(value), hashlib.blake2b(repr((key, version)).encode(), digest_size=16).digest())
        self.put(key, kept)
        future.set_result(kept)
        return kept


CACHE = OverviewCache()


def scope_key(context: Context) -> Hashable:
    """What the caller's transaction may see: its company, its projects (None: all), the resident."""
    scope = context.db.scope
    if scope is None:
        raise RuntimeError("the overview is answered for a caller only")
    return (scope.org_id, None if scope.projects is None else tuple(sorted(str(p) for p in scope.projects)), scope.resident_id)


def caller_of(context: Context) -> bytes:
    """What the caller may do, for its tags: its kind, grants and a key's permissions and projects."""
    p = context.principal
    if p is None:
        raise RuntimeError("the overview is answered for a caller only")
    grants = sorted((g.role.value, str(g.project_id)) for g in p.grants)
    return repr((p.kind, p.org_id, grants, sorted(p.key_permissions or ()), sorted(map(str, p.key_projects or ())))).encode()


async def overview_answer(context: Context, what: Hashable, month: date, today: datetime, make: Callable[[], Awaitable[T]],
                          weigh: Callable[[T], int]) -> Kept[T]:
    """`make()`'s answer for this caller's scope, month and day, kept until the company's overview changes."""
    key = (scope_key(context), what, month, today)
    org = context.db.org_id
    scope = context.db.scope
    # A resident's transaction runs as the resident role, which may not read the version: its
    # answers are never served on what the process knows, nor is what it reads learned.
    watch = context.versions if org is not None and scope is not None and scope.resident_id is None else None
    kept = CACHE.get(key)
    known = watch.current(org) if watch is not None and org is not None else None
    if kept is not None and known == kept.version:
        CACHE.hits += 1
        CACHE.unasked += 1
        return kept
    if kept is not None and known is None:  # moved or not, the process cannot tell: ask
        mark = watch.mark() if watch is not None else None
        if await context.db.status(still_current_sql(org, kept.version)) == "SELECT 1":
            if watch is not None and org is not None:
                watch.learned(org, kept.version, mark)
            CACHE.hits += 1
            return kept
    mark = watch.mark() if watch is not None else None
    version = await overview_version(context.db)
    if watch is not None and org is not None:
        watch.learned(org, version, mark)
    return await CACHE.remembered(key, version, make, weigh)
