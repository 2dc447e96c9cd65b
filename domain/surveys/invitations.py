"""调查邀请 (docs/resident-services.md §7.2): when a campaign opens, a messaging bridge (the
integrator's SMS or WeChat 订阅消息 sender) hears which sampled flats to invite, 500 flats a batch,
each with its current occupants' ids — ids for a program, never a name or phone, so only a webhook
may subscribe. A campaign names no channels: every active webhook of the company, or of the
campaign's project, subscribed to `survey.invited` hears it. Nothing is recorded when no such
channel exists (a company without a bridge gets no events to relay for nothing)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.events import Event
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.surveys.model import Campaign

TOPIC = "survey.invited"
SURVEY_TOPICS = frozenset({TOPIC})
BATCH = 500
_BEIJING = timedelta(hours=8)

_BRIDGES = text(
    "SELECT 1 FROM delivery_channels WHERE org_id = :o AND active AND kind = 'webhook' AND :topic = ANY(topics) "
    "AND (project_id IS NULL OR project_id = :p) LIMIT 1")
# The sample with each flat's current occupants, owners and primary contacts first.
_INVITED = text(
    "SELECT s.unit_id, coalesce(array_agg(o.resident_id ORDER BY o.role <> 'owner', NOT o.primary_contact, o.resident_id) "
    "  FILTER (WHERE o.resident_id IS NOT NULL), '{}') AS residents "
    "FROM survey_samples s LEFT JOIN occupancies o ON o.org_id = s.org_id AND o.project_id = s.project_id "
    "  AND o.unit_id = s.unit_id AND o.moved_out_on IS NULL "
    "WHERE s.org_id = :o AND s.campaign_id = :c GROUP BY s.unit_id ORDER BY s.unit_id")
_CAMPAIGN = text(
    "SELECT c.title, c.state, c.closes_at, p.name AS project_name FROM survey_campaigns c "
    "JOIN projects p ON p.org_id = c.org_id AND p.id = c.project_id WHERE c.org_id = :o AND c.id = :c")


async def invite(uow: UnitOfWork, campaign: Campaign) -> int:
    """In the opening's unit of work, after the sample is drawn: the batches; how many."""
    conn, campaign_id, project_id = uow.conn, campaign.id, campaign.project_id
    if (await conn.execute(_BRIDGES, {"o": uow.org_id, "topic": TOPIC, "p": project_id})).first() is None:
        return 0
    units = [{"unit_id": str(r.unit_id), "resident_ids": [str(x) for x in r.residents]}
             for r in await conn.execute(_INVITED, {"o": uow.org_id, "c": campaign_id})]
    batches = (len(units) + BATCH - 1) // BATCH
    for i in range(batches):
        uow.record(Event(topic=TOPIC, org_id=uow.org_id, project_id=project_id, payload={
            "campaign_id": str(campaign_id), "closes_at": campaign.closes_at.isoformat(), "batch": i + 1, "batches": batches,
            "units": units[i * BATCH:(i + 1) * BATCH]}))
    return batches


async def invitation_message(conn: AsyncConnection, org_id: UUID, payload: dict[str, Any]) -> tuple[str, str] | None:
    """(title, body) of a batch at planning time; nothing once the campaign is cancelled or over."""
    c = (await conn.execute(_CAMPAIGN, {"o": org_id, "c": UUID(payload["campaign_id"])})).first()
    if c is None or c.state != "open":
        return None
    closes = (c.closes_at + _BEIJING).strftime("%Y-%m-%d %H:%M")  # Beijing wall clock
    return (f"【满意度调查】{c.title}（{payload.get('batch')}/{payload.get('batches')}）",
            f"{c.project_name}：本批邀请 {len(payload.get('units') or ())} 户，{closes} 截止。")
