"""调查活动定时开始与结束: inside one company's wall, the draft campaigns whose opening time has come
are opened (their sample drawn) and open ones past their closing time are closed (their figures
stored), through the same aggregate as the mutations. Claimed with SKIP LOCKED: several sweepers
share the work, and a campaign a person is opening, closing or cancelling right now is theirs."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.surveys import repository
from domain.surveys.invitations import invite
from domain.unit_of_work import Joined, UnitOfWork

ACTOR = "system:survey-schedule"
COMPANIES = text("SELECT orgs_with_campaigns_due(:now)")
_DUE = text(f"SELECT {repository.CAMPAIGN_COLUMNS} FROM survey_campaigns WHERE survey_campaigns.org_id = :o AND state = 'draft' "
             "AND opens_at <= :now "
            "AND closes_at > :now ORDER BY opens_at LIMIT :batch FOR UPDATE SKIP LOCKED")
_OVER = text(f"SELECT {repository.CAMPAIGN_COLUMNS} FROM survey_campaigns WHERE survey_campaigns.org_id = :o AND state = 'open' "
              "AND closes_at <= :now "
             "ORDER BY closes_at LIMIT :batch FOR UPDATE SKIP LOCKED")


async def open_and_close(conn: AsyncConnection, org_id: UUID, now: datetime, batch: int = 20) -> int:
    """One company's due campaigns, as one unit of work in the company's transaction; how many changed."""
    due = list(await conn.execute(_DUE, {"o": org_id, "now": now, "batch": batch}))
    over = list(await conn.execute(_OVER, {"o": org_id, "now": now, "batch": batch}))
    if not due and not over:
        return 0
    async with UnitOfWork(Joined(conn), org_id=org_id, actor=ACTOR, scope=None) as uow:
        for row in due:
            campaign = repository.from_row(row)
            uow.track(campaign)
            campaign.open(now=now)
            await repository.save_campaign(uow, campaign)
            campaign.sampled(await repository.draw_sample(uow, campaign, now))
            await repository.save_campaign(uow, campaign)
            await invite(uow, campaign)
        for row in over:
            campaign = repository.from_row(row)
            uow.track(campaign)
            responses, score = await repository.figures(uow, campaign.id)
            campaign.close(now=now, responses=responses, score=score)
            await repository.save_campaign(uow, campaign)
        await uow.commit()
    return len(due) + len(over)
