"""催缴 every minute, per company (workers/sweeps.py): one company's failure rolls back only its
own share and the others go on. The finder takes no time: which companies have an active schedule
is all it says; the quiet hours and what is due are decided inside each company's wall."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from domain.fees.reminders import ACTOR, COMPANIES, send_due
from tenants.platform import Platform
from workers.sweeps import CompanySweep

log = logging.getLogger("firstcall.fee_reminder_sweep")
SWEEP = CompanySweep("fee-reminders", ACTOR, COMPANIES, log)


async def sweep(platform: Platform, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    return await SWEEP(platform, {}, lambda conn, org_id: send_due(conn, org_id, now))


async def run_fee_reminder_sweep(platform: Platform, stop: asyncio.Event, every_seconds: float = 60.0) -> None:
    """Beside the relay in `firstcall scanner` (and in the single-process server)."""
    async def once() -> None:
        if n := await sweep(platform):
            log.info("reminded %d flats of their arrears", n)

    await SWEEP.repeat(stop, every_seconds, once)
