"""转办催办: a body that has not answered by its due time is reminded, once more a day later, and
then the case escalates (L1, L2, L3; reason `referral_overdue`) — each step exactly once. The
schedule is domain/referrals/model.py's; the timers are `referrals.next_check_at`, scanned with
FOR UPDATE SKIP LOCKED, so a broker restart never makes a step late or double. A sweep per
company: one company's failure does not stop the others."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.cases.repository import CaseRepository
from domain.cases.states import State
from domain.referrals import repository
from domain.referrals.model import next_step
from domain.referrals.repository import Who
from domain.sla.repository import SlaRecorder
from domain.unit_of_work import Joined, UnitOfWork
from tenants.platform import Platform
from workers.sweeps import CompanySweep

log = logging.getLogger("firstcall.referral_sweep")
ACTOR = "system:referral-sweep"
_ORGS = text("SELECT orgs_with_referrals_due(:now)")
_DUE = text("SELECT id FROM referrals WHERE org_id = :o AND next_check_at <= :now AND status IN ('sent', 'acknowledged') "
            "ORDER BY next_check_at LIMIT :batch FOR UPDATE SKIP LOCKED")
_PROGRESS = text("UPDATE referrals SET reminders_sent = :n, escalated_level = :lvl, next_check_at = :next "
                 "WHERE org_id = :o AND id = :id")
SWEEP = CompanySweep("referral", ACTOR, _ORGS, log)


async def _follow_up(uow: UnitOfWork, referral_id: UUID, now: datetime) -> int:
    """Every step of the schedule due by `now`; returns how many were taken. The unit of work
    writes each step's events in the order they were taken: a reminder's before a later step's
    escalation."""
    conn = uow.conn
    r = await repository.referral_for_update(conn, uow.org_id, referral_id)
    reminders, level, taken = r.reminders_sent, r.escalated_level, 0
    while True:
        step = next_step(r.due_at, reminders, level, now)
        if step.action is None:
            break
        if step.action.kind == "remind":
            reminders = step.action.reminder
            await repository.remind(uow, r, reminders, now)
        else:
            level = step.action.level
            case = await CaseRepository(uow).get_for_update(r.case_id)
            if case is not None and case.state is State.REFERRED:
                await SlaRecorder(conn, announce=uow.record).escalate(case, level, "referral_overdue", now)
                await repository.note(conn, r, "escalated", Who("system", ACTOR, None), now, f"{level.upper()} 逾期未反馈")
        taken += 1
    await conn.execute(_PROGRESS, {"o": r.org_id, "id": r.id, "n": reminders, "lvl": level, "next": step.next_check_at})
    return taken


async def follow_up_due(conn: AsyncConnection, org_id: UUID, now: datetime, batch: int = 200) -> int:
    """Inside one company's wall: every referral due by `now`, followed up — the batch one unit
    of work in the company's transaction."""
    ids = [row.id for row in await conn.execute(_DUE, {"o": org_id, "now": now, "batch": batch})]
    if not ids:
        return 0
    async with UnitOfWork(Joined(conn), org_id=org_id, actor=ACTOR, scope=None) as uow:
        taken = sum([await _follow_up(uow, rid, now) for rid in ids])
        await uow.commit()
    return taken


async def sweep(platform: Platform, now: datetime | None = None) -> int:
    """Steps taken across every company; tests pass a chosen `now`."""
    now = now or datetime.now(UTC)
    return await SWEEP(platform, {"now": now}, lambda conn, org_id: follow_up_due(conn, org_id, now))


async def run_referral_sweep(platform: Platform, stop: asyncio.Event, every_seconds: float = 30.0) -> None:
    """Beside the auto-confirm sweep in `firstcall scanner` and the single-process server. Several
    may run: SKIP LOCKED hands each referral to one, and reminders carry a dedupe key."""
    async def once() -> None:
        if n := await sweep(platform):
            log.info("referral sweep took %d steps", n)

    await SWEEP.repeat(stop, every_seconds, once)
