"""收费率下滑 The collection early warning in PostgreSQL (docs/resident-services.md §6.7): a
project's billing month is judged once it has closed — 02:00 Beijing on the 1st of the month
after, so a cashier's late evening is in — by the fee sweep's first run after that (marked
`kpi_fee_month.judged_at`), and again whenever the `kpi_fees` consumer recomputes a closed
month (its month-end figure may have moved by a back-dated entry). Months older than three are
left alone: a rebuild must not raise alerts about last year."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.alerts.repository import _raise, alert_settings
from domain.alerts.window_rules import collection
from domain.kpi.fee_rollups import refresh_for_fee_event
from domain.sla.calendar import CHINA, add_months, beijing_midnight
from domain.unit_of_work import Joined, UnitOfWork

ACTOR = "system:fee-judge"
CLOSES_AFTER = timedelta(hours=2)  # into the next month's first day, Beijing
WINDOW_MONTHS = 3
COMPANIES = text("SELECT orgs_with_fee_months_to_judge(:since, :before)")
_TWO = text("SELECT month, bills, due_fen, collected_by_close_fen FROM kpi_fee_month "
            "WHERE org_id = :o AND project_id = :p AND month IN (:m, :last)")
_PROJECT = text("SELECT name FROM projects WHERE org_id = :o AND id = :p")
_JUDGED = text("UPDATE kpi_fee_month SET judged_at = now() WHERE org_id = :o AND project_id = :p AND month = :m")
_UNJUDGED = text("SELECT project_id, month FROM kpi_fee_month WHERE org_id = :o AND judged_at IS NULL AND month >= :since AND "
                 "month < :before "
                 "ORDER BY month, project_id LIMIT :batch FOR UPDATE SKIP LOCKED")


def judgeable(now: datetime) -> tuple[date, date]:
    """[since, before): the closed months still judged at `now`."""
    local = now.astimezone(CHINA)
    this = local.date().replace(day=1)
    before = this if local >= beijing_midnight(this) + CLOSES_AFTER else add_months(this, -1)
    return add_months(before, -WINDOW_MONTHS), before


async def judge(uow: UnitOfWork, org_id: UUID, project_id: UUID, month: date) -> None:
    """One project's month against the month before; raises through the one-open-alert upsert."""
    conn = uow.conn
    # One judgement of a month at a time: the last to commit has read the last figures.
    await conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                       {"k": f"window:collection:{project_id}:{month}"})
    last = add_months(month, -1)
    rows = {r.month: r for r in await conn.execute(_TWO, {"o": org_id, "p": project_id, "m": month, "last": last})}
    now, before = rows.get(month), rows.get(last)
    if now is not None:
        s = await alert_settings(conn, org_id)
        name = (await conn.execute(_PROJECT, {"o": org_id, "p": project_id})).scalar() or ""
        alert = collection(str(project_id), name, month, now.bills, now.due_fen, now.collected_by_close_fen,
                           before.bills if before else 0, before.due_fen if before else 0,
                           before.collected_by_close_fen if before else 0, s)
        if alert is not None:
            await _raise(uow, org_id, project_id, alert)
    await conn.execute(_JUDGED, {"o": org_id, "p": project_id, "m": month})


async def on_fee_event(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """The `kpi_fees` consumer: the touched buckets recomputed, and those of closed months judged."""
    months = await refresh_for_fee_event(uow.conn, event)
    since, before = judgeable(datetime.now(CHINA))
    for month in months:
        if since <= month < before:
            await judge(uow, UUID(event["org_id"]), UUID(event["project_id"]), month)


async def judge_closed_months(conn: AsyncConnection, org_id: UUID, now: datetime, batch: int = 500) -> int:
    """The fee sweep in one company: its closed months not yet judged; how many were."""
    since, before = judgeable(now)
    due = list(await conn.execute(_UNJUDGED, {"o": org_id, "since": since, "before": before, "batch": batch}))
    if not due:
        return 0
    async with UnitOfWork(Joined(conn), org_id=org_id, actor=ACTOR, scope=None) as uow:
        for r in due:
            await judge(uow, org_id, r.project_id, r.month)
        await uow.commit()
    return len(due)
