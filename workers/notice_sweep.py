"""通知定时发布与失效 every 10 seconds, per company (workers/sweeps.py): one company's failure
rolls back only its own share and the others go on."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from domain.notices.schedule import ACTOR, COMPANIES, publish_and_expire
from tenants.platform import Platform
from workers.sweeps import CompanySweep

log = logging.getLogger("firstcall.notice_sweep")
SWEEP = CompanySweep("notice-schedule", ACTOR, COMPANIES, log)


async def sweep(platform: Platform, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    return await SWEEP(platform, {"now": now}, lambda conn, org_id: publish_and_expire(conn, org_id, now))


async def run_notice_sweep(platform: Platform, stop: asyncio.Event, every_seconds: float = 10.0) -> None:
    """Beside the relay in `firstcall scanner` (and in the single-process server)."""
    async def once() -> None:
        if n := await sweep(platform):
            log.info("published or expired %d notices", n)

    await SWEEP.repeat(stop, every_seconds, once)
