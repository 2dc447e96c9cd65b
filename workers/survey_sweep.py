"""调查活动定时开始与结束 every 60 seconds, per company (workers/sweeps.py): one company's failure
rolls back only its own share and the others go on."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from domain.surveys.schedule import ACTOR, COMPANIES, open_and_close
from tenants.platform import Platform
from workers.sweeps import CompanySweep

log = logging.getLogger("firstcall.survey_sweep")
SWEEP = CompanySweep("survey-schedule", ACTOR, COMPANIES, log)


async def sweep(platform: Platform, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    return await SWEEP(platform, {"now": now}, lambda conn, org_id: open_and_close(conn, org_id, now))


async def run_survey_sweep(platform: Platform, stop: asyncio.Event, every_seconds: float = 60.0) -> None:
    """Beside the relay in `firstcall scanner` (and in the single-process server)."""
    async def once() -> None:
        if n := await sweep(platform):
            log.info("opened or closed %d survey campaigns", n)

    await SWEEP.repeat(stop, every_seconds, once)
