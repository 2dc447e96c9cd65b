from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires

from api.graphql.mutations._survey import SurveyCampaignPayload, campaign_payload, parse_campaign_id
from domain.surveys import service
from domain.surveys.commands import CancelCampaign
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.SURVEY_MANAGE)],
                     description="取消调查 Cancel a draft or open campaign, with a reason: it scores nothing and its sample "
                                 "frees its flats for the next campaign.")
@user_errors(SurveyCampaignPayload)
async def cancel_survey_campaign(info: Info, campaign_id: strawberry.ID, reason: str,
                                 idempotency_key: IdempotencyKey = None) -> SurveyCampaignPayload:
    cmd = CancelCampaign(campaign_id=parse_campaign_id(campaign_id), reason=reason, idempotency_key=idempotency_key)
    return await campaign_payload(info, await service.cancel_campaign(cmd, unit_of_work(info)))
