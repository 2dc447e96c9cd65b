"""样本 A campaign's sampled flats for the desk entering answers (docs/resident-services.md §7.2,
§11 录入): survey:read on the campaign's project, one statement per list."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.types.node import from_global_id, page_size, to_global_id
from api.graphql.types.survey import readable_campaign
from domain.surveys import sample_reads
from domain.surveys.model import CHANNEL_LABELS


@strawberry.type(description="样本户 A flat in a campaign's sample, and whether, how and when it answered.")
class SurveySampledFlat:
    unit_id: strawberry.ID
    label: str = strawberry.field(description="楼栋 单元 房号, e.g. 1号楼 2单元 1502.")
    building_name: str
    answered: bool
    channel_label: str | None = strawberry.field(description="How it answered (电话, 上门, 纸质, 业主App); null before.")
    submitted_at: datetime | None


async def survey_sample(info: Info, campaign_id: strawberry.ID, pending: bool, flat: str | None,
                        first: int | None) -> list[SurveySampledFlat]:
    row = await readable_campaign(info, from_global_id(campaign_id, "SurveyCampaign", "campaignId"))
    rows = await sample_reads.sample(info.context.db, row.id, pending=pending, flat=flat, limit=page_size(first, 50))
    return [SurveySampledFlat(unit_id=to_global_id("Unit", r.unit_id), label=r.label, building_name=r.building_name,
                              answered=r.channel is not None, channel_label=CHANNEL_LABELS[r.channel] if r.channel else None,
                              submitted_at=r.submitted_at) for r in rows]
