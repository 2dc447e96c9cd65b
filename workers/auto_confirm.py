"""自动确认: a resolved case the resident has not answered within the silence is confirmed,
marked automatic. A sweep per company: one company's failure does not stop the others."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import text

from domain.cases.defaults import AUTO_CONFIRM_SILENCE
from domain.cases.repository import CaseRepository
from tenants.context import TenantScope
from tenants.platform import Platform

log = logging.getLogger("firstcall.auto_confirm")
ACTOR = "system:auto-confirm"
_ORGS = text("SELECT orgs_with_cases_to_confirm(:before)")
_DUE = text("SELECT id FROM cases WHERE state = 'resolved' AND resolved_at <= :before "
            "ORDER BY resolved_at LIMIT :batch FOR UPDATE SKIP LOCKED")


async def confirm_company(platform: Platform, org_id: UUID, now: datetime, silence: timedelta, batch: int = 200) -> int:
    async with platform.transaction(TenantScope(org_id=org_id, projects=None, actor=ACTOR)) as conn:
        ids = [r.id for r in await conn.execute(_DUE, {"before": now - silence, "batch": batch})]
        repo = CaseRepository(conn)
        for case_id in ids:
            case = await repo.get_for_update(case_id)
            case.auto_confirm(now=now, silence=silence)
            await repo.save(case)
    return len(ids)


async def sweep(platform: Platform, now: datetime | None = None, silence: timedelta = AUTO_CONFIRM_SILENCE) -> int:
    now = now or datetime.now(UTC)
    async with platform.transaction(None) as conn:
        orgs = [r[0] for r in await conn.execute(_ORGS, {"before": now - silence})]
    confirmed = 0
    for org_id in orgs:
        try:
            confirmed += await confirm_company(platform, org_id, now, silence)
        except Exception:
            log.exception("auto-confirm failed for company %s; the others go on", org_id)
    return confirmed


async def run_auto_confirm(platform: Platform, stop: asyncio.Event, every_seconds: float = 60.0) -> None:
    """Beside the relay in `firstcall scanner` (and in the single-process server). Several may
    run: SKIP LOCKED hands each case to one of them, and a confirmed case is no longer due."""
    while not stop.is_set():
        try:
            if n := await sweep(platform):
                log.info("auto-confirmed %d cases", n)
        except Exception:
            log.exception("auto-confirm sweep failed; retrying")
        try:
            await asyncio.wait_for(stop.wait(), timeout=every_seconds)
        except TimeoutError:
            pass
