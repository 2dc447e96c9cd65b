"""考评 sweep: re-evaluates a company's month whenever its rollups changed since the month was last
scored, so the overview's scores and ranks follow the cases within seconds. One company's
failure does not stop the others; several sweeps may run (the second finds the company busy)."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import text

from domain.kpi.month import evaluate
from domain.sla.calendar import CHINA
from tenants.context import TenantScope
from tenants.platform import Platform

log = logging.getLogger("firstcall.score_sweep")
ACTOR = "system:evaluation"
_STALE = text("SELECT org_id, month FROM stale_score_months(:since)")
_BUSY = text("SELECT NOT pg_try_advisory_xact_lock(hashtextextended('evaluation:' || CAST(:o AS text), 0))")


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _months_before(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def months_to_score(stale: set[date], current: date) -> list[date]:
    """A month's trend compares with the month before, so re-scoring a month re-scores the next."""
    return sorted({m for s in stale for m in (s, _next(s)) if m <= current})


async def evaluate_company(platform: Platform, org_id: UUID, months: list[date]) -> bool:
    async with platform.transaction(TenantScope(org_id=org_id, projects=None, actor=ACTOR)) as conn:
        if (await conn.execute(_BUSY, {"o": str(org_id)})).scalar():
            return False
        await evaluate(conn, months)
    return True


def _current_month(now: datetime | None = None) -> date:
    return (now or datetime.now(CHINA)).astimezone(CHINA).date().replace(day=1)


async def sweep(platform: Platform, now: datetime | None = None) -> int:
    current = _current_month(now)
    since = _months_before(current, 2)  # the current month and the two before it; the rebuild scores the rest
    async with platform.transaction(None) as conn:
        stale: dict[UUID, set[date]] = defaultdict(set)
        for row in await conn.execute(_STALE, {"since": since}):
            stale[row.org_id].add(row.month)
    done = 0
    for org_id, months in stale.items():
        try:
            done += await evaluate_company(platform, org_id, months_to_score(months, current))
        except Exception:
            log.exception("evaluating company %s failed; the others go on", org_id)
    return done


async def run_score_sweep(platform: Platform, stop: asyncio.Event, every_seconds: float = 10.0) -> None:
    """Beside the relay in `firstcall scanner` (and in the single-process server)."""
    while not stop.is_set():
        try:
            await sweep(platform)
        except Exception:
            log.exception("evaluation sweep failed; retrying")
        try:
            await asyncio.wait_for(stop.wait(), timeout=every_seconds)
        except TimeoutError:
            pass
