from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires

from api.graphql.mutations._survey import SurveyCampaignPayload, campaign_payload, parse_campaign_id
from domain.surveys import service
from domain.surveys.commands import CampaignStep
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.SURVEY_MANAGE)],
                     description="结束调查 Close an open campaign: its responses, sample size and score are stored; no answer is "
                                 "taken afterwards.")
@user_errors(SurveyCampaignPayload)
async def close_survey_campaign(info: Info, campaign_id: strawberry.ID,
                                idempotency_key: IdempotencyKey = None) -> SurveyCampaignPayload:
    cmd = CampaignStep(campaign_id=parse_campaign_id(campaign_id), idempotency_key=idempotency_key)
    return await campaign_payload(info, await service.close_campaign(cmd, unit_of_work(info)))
