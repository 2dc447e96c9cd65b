from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires

from api.graphql.mutations._survey import SurveyAnswerInput, SurveyResponsePayload, parse_campaign_id
from api.graphql.types.node import from_global_id, to_global_id
from api.graphql.types.survey import SurveyEntryChannel
from domain.surveys import responses
from domain.surveys.commands import EnterResponse
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.SURVEY_CONDUCT)],
                     description="录入调查 Enter a sampled flat's answers taken by phone, on a visit or on paper; one response "
                                 "per flat (a second is CONFLICT ALREADY_ANSWERED).")
@user_errors(SurveyResponsePayload)
async def enter_survey_response(info: Info, campaign_id: strawberry.ID, unit_id: strawberry.ID, channel: SurveyEntryChannel,
                                answers: list[SurveyAnswerInput], idempotency_key: IdempotencyKey = None) -> SurveyResponsePayload:
    cmd = EnterResponse(campaign_id=parse_campaign_id(campaign_id), unit_id=from_global_id(unit_id, "Unit", "unitId"),
                        channel=channel.value, answers=tuple(a.answer() for a in answers), idempotency_key=idempotency_key)
    return SurveyResponsePayload(response_id=to_global_id("SurveyResponse", await responses.enter_response(cmd, unit_of_work(info))))
