"""考评 sweep: re-evaluates a company's month whenever its rollups, inspections or weights changed
since the month was last scored, so the overview's scores and ranks follow within seconds. One company's
failure does not stop the others; several sweeps may run (the second finds the company busy)."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.kpi.month import evaluate
from domain.sla.calendar import CHINA, add_months
from tenants.platform import Platform
from workers.sweeps import CompanySweep

log = logging.getLogger("firstcall.score_sweep")
ACTOR = "system:evaluation"
EVERYTHING = date(2000, 1, 1)
_ORGS = text("SELECT orgs_with_evaluation_changes(:since)")
_MONTHS = text("SELECT month FROM evaluation_changes(:since)")
_BUSY = text("SELECT NOT pg_try_advisory_xact_lock(hashtextextended('evaluation:' || CAST(:o AS text), 0))")
SWEEP = CompanySweep("evaluation", ACTOR, _ORGS, log)


def months_to_score(stale: set[date], current: date) -> list[date]:
    """A month's trend compares with the month before, so re-scoring a month re-scores the next."""
    return sorted({m for s in stale for m in (s, add_months(s, 1)) if m <= current})


async def evaluate_company(conn: AsyncConnection, org_id: UUID, since: date, current: date) -> bool:
    """Inside the company's wall: which months changed, and their evaluation. False when another
    sweep is evaluating the company right now."""
    if (await conn.execute(_BUSY, {"o": str(org_id)})).scalar():
        return False
    stale = {r.month for r in await conn.execute(_MONTHS, {"since": since})}
    await evaluate(conn, org_id, months_to_score(stale, current))
    return True


async def sweep(platform: Platform, now: datetime | None = None, since: date | None = None) -> int:
    """By default the current month and the two before it; `since` reaches further back (the
    first sweep of a process looks at every month, so months never evaluated get their scores)."""
    current = (now or datetime.now(CHINA)).astimezone(CHINA).date().replace(day=1)
    since = since or add_months(current, -2)
    return await SWEEP(platform, {"since": since}, lambda conn, org_id: evaluate_company(conn, org_id, since, current))


async def run_score_sweep(platform: Platform, stop: asyncio.Event, every_seconds: float = 10.0) -> None:
    """Beside the relay in `firstcall scanner` (and in the single-process server)."""
    since: date | None = EVERYTHING

    async def once() -> None:
        nonlocal since
        await sweep(platform, since=since)
        since = None

    await SWEEP.repeat(stop, every_seconds, once)
