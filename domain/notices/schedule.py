"""定时发布与失效: inside one company's wall, the scheduled notices whose time has come are
published through the same aggregate as an approval (so the fan-out and the channels follow from
the same event), and published ones past their expiry are marked expired. Claimed with SKIP LOCKED:
several sweepers share the work, and a notice being withdrawn right now is left to its withdrawal.
Reads filter on `expires_at` too, so a late sweep never shows an expired notice as current."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.notices import repository
from domain.unit_of_work import Joined, UnitOfWork

ACTOR = "system:notice-schedule"
COMPANIES = text("SELECT orgs_with_notices_due(:now)")
_DUE = text(f"SELECT {repository.COLUMNS} FROM notices WHERE notices.org_id = :o AND state = 'scheduled' AND publish_at <= :now "
            "ORDER BY publish_at LIMIT :batch FOR UPDATE SKIP LOCKED")
_EXPIRED = text(f"SELECT {repository.COLUMNS} FROM notices WHERE notices.org_id = :o AND state = 'published' AND expires_at <= :now "
                "ORDER BY expires_at LIMIT :batch FOR UPDATE SKIP LOCKED")


async def publish_and_expire(conn: AsyncConnection, org_id: UUID, now: datetime, batch: int = 200) -> int:
    """One company's due notices, as one unit of work in the company's transaction; how many changed."""
    due = list(await conn.execute(_DUE, {"o": org_id, "now": now, "batch": batch}))
    expired = list(await conn.execute(_EXPIRED, {"o": org_id, "now": now, "batch": batch}))
    if not due and not expired:
        return 0
    async with UnitOfWork(Joined(conn), org_id=org_id, actor=ACTOR, scope=None) as uow:
        for row in due:
            notice = repository.from_row(row)
            uow.track(notice)
            notice.publish(now=now, actor=ACTOR)
            await repository.save(uow, notice)
        for row in expired:
            notice = repository.from_row(row)
            uow.track(notice)
            notice.expire(actor=ACTOR)
            await repository.save(uow, notice)
        await uow.commit()
    return len(due) + len(expired)
