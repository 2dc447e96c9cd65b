"""The residents' rate-limit windows (docs/resident-services.md §2.5) are kept a day, then deleted:
hourly, per company, by the sweep shape every periodic job shares (workers/sweeps.py)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from domain.residents import quota
from tenants.platform import Platform
from workers.sweeps import CompanySweep

log = logging.getLogger("firstcall.resident_quota")
ACTOR = "system:resident-quota"
_ORGS = text("SELECT orgs_with_resident_quota(:before)")
SWEEP = CompanySweep("resident-quota", ACTOR, _ORGS, log)


async def sweep(platform: Platform, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    return await SWEEP(platform, {"before": now - timedelta(days=1)}, lambda conn, org_id: quota.forget_old(conn, org_id, now))


async def run_quota_sweep(platform: Platform, stop: asyncio.Event, every_seconds: float = 3600.0) -> None:
    """Beside the other sweeps in `firstcall scanner` (and in the single-process server)."""
    async def once() -> None:
        if n := await sweep(platform):
            log.info("deleted %d old resident rate-limit windows", n)

    await SWEEP.repeat(stop, every_seconds, once)
