"""收费率下滑 The fee sweep every minute, per company (workers/sweeps.py): the billing months that
closed (02:00 Beijing on the 1st) and are not yet judged, judged once each for the collection
early warning (domain/alerts/collection.py). One company's failure rolls back only its own share."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from domain.alerts.collection import ACTOR, COMPANIES, judge_closed_months, judgeable
from tenants.platform import Platform
from workers.sweeps import CompanySweep

log = logging.getLogger("firstcall.fee_sweep")
SWEEP = CompanySweep("fee-judge", ACTOR, COMPANIES, log)


async def sweep(platform: Platform, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    since, before = judgeable(now)
    return await SWEEP(platform, {"since": since, "before": before}, lambda conn, org_id: judge_closed_months(conn, org_id, now))


async def run_fee_sweep(platform: Platform, stop: asyncio.Event, every_seconds: float = 60.0) -> None:
    """Beside the relay in `firstcall scanner` (and in the single-process server)."""
    async def once() -> None:
        if n := await sweep(platform):
            log.info("judged %d closed billing months", n)

    await SWEEP.repeat(stop, every_seconds, once)
