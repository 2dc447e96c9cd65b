"""自动确认: a resolved case the resident has not answered within the silence is confirmed,
marked automatic. A sweep per company: one company's failure does not stop the others."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.cases.defaults import AUTO_CONFIRM_SILENCE
from domain.cases.repository import CaseRepository
from domain.unit_of_work import Joined, UnitOfWork
from tenants.platform import Platform
from workers.sweeps import CompanySweep

log = logging.getLogger("firstcall.auto_confirm")
ACTOR = "system:auto-confirm"
_ORGS = text("SELECT orgs_with_cases_to_confirm(:before)")
_DUE = text("SELECT id FROM cases WHERE org_id = :o AND state = 'resolved' AND resolved_at <= :before "
            "ORDER BY resolved_at LIMIT :batch FOR UPDATE SKIP LOCKED")
SWEEP = CompanySweep("auto-confirm", ACTOR, _ORGS, log)


async def confirm(conn: AsyncConnection, org_id: UUID, now: datetime, silence: timedelta, batch: int = 200) -> int:
    """Inside one company's wall: its cases silent since `now - silence`, confirmed — the batch
    one unit of work in the company's transaction, which writes their audit rows and events."""
    ids = [r.id for r in await conn.execute(_DUE, {"o": org_id, "before": now - silence, "batch": batch})]
    if not ids:
        return 0
    async with UnitOfWork(Joined(conn), org_id=org_id, actor=ACTOR, scope=None) as uow:
        repo = CaseRepository(uow)
        for case_id in ids:
            case = await repo.get_for_update(case_id)
            case.auto_confirm(now=now, silence=silence)
            await repo.save(case)
        await uow.commit()
    return len(ids)


async def sweep(platform: Platform, now: datetime | None = None, silence: timedelta = AUTO_CONFIRM_SILENCE) -> int:
    now = now or datetime.now(UTC)
    return await SWEEP(platform, {"before": now - silence}, lambda conn, org_id: confirm(conn, org_id, now, silence))


async def run_auto_confirm(platform: Platform, stop: asyncio.Event, every_seconds: float = 60.0) -> None:
    """Beside the relay in `firstcall scanner` (and in the single-process server). Several may
    run: SKIP LOCKED hands each case to one of them, and a confirmed case is no longer due."""
    async def once() -> None:
        if n := await sweep(platform):
            log.info("auto-confirmed %d cases", n)

    await SWEEP.repeat(stop, every_seconds, once)
