"""清除上传: uploaded archive workbooks are deleted once expired (24 hours), company by company —
one company's failure does not stop the others. The step is domain/archive/upload_purge.py."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from sqlalchemy import text

from domain.archive.upload_purge import purge_expired_uploads
from tenants.platform import Platform
from workers.sweeps import CompanySweep

log = logging.getLogger("firstcall.upload_purge")
ACTOR = "system:upload-purge"
# The finder judges expiry by the database's clock and ignores the time it is given (migration
# 0036): a caller choosing the time could learn which companies hold uploads at all.
SWEEP = CompanySweep("upload-purge", ACTOR, text("SELECT orgs_with_expired_uploads(:now)"), log)


async def sweep(platform: Platform) -> int:
    """Uploads deleted across every company, expired by the clock now: no chosen time, as the
    companies to sweep are found by the database's own."""
    now = datetime.now(UTC)
    return await SWEEP(platform, {"now": now}, lambda conn, org_id: purge_expired_uploads(conn, org_id, now))


async def run_upload_purge(platform: Platform, stop: asyncio.Event, every_seconds: float = 300.0) -> None:
    """Beside the other sweeps in `firstcall scanner` and the single-process server. Several may run:
    a second delete of the same rows finds nothing."""
    async def once() -> None:
        if n := await sweep(platform):
            log.info("purged %d expired archive uploads", n)

    await SWEEP.repeat(stop, every_seconds, once)
