"""巡查任务 every 5 minutes, per company (workers/sweeps.py): the coming week's runs of every active
plan, and the runs whose window ended unfinished marked missed. One company's failure rolls back
only its own share and the others go on."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from domain.patrols.schedule import ACTOR, COMPANIES, sweep_company
from tenants.platform import Platform
from workers.sweeps import CompanySweep

log = logging.getLogger("firstcall.patrol_sweep")
SWEEP = CompanySweep("patrol-schedule", ACTOR, COMPANIES, log)


async def sweep(platform: Platform, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    return await SWEEP(platform, {}, lambda conn, org_id: sweep_company(conn, org_id, now))


async def run_patrol_sweep(platform: Platform, stop: asyncio.Event, every_seconds: float = 300.0) -> None:
    """Beside the relay in `firstcall scanner` (and in the single-process server). A missed run's
    escalations do not wait for it: the ladder's timers fire at the window's end on their own."""
    async def once() -> None:
        if n := await sweep(platform):
            log.info("made or closed %d patrol runs", n)

    await SWEEP.repeat(stop, every_seconds, once)
