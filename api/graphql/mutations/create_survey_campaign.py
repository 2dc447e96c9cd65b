from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires

from datetime import datetime

from api.graphql.mutations._survey import SurveyCampaignPayload, campaign_payload
from api.graphql.types.node import from_global_id
from api.graphql.types.survey import SurveySampleMode
from domain.surveys import service
from domain.surveys.commands import CreateCampaign
from domain.surveys.model import CampaignSpec
from tenants.roles import Permission


@strawberry.input(description="抽样 ALL: every eligible flat; PERCENT: value 1–100 of each building; COUNT: about value flats, "
                              "spread over the buildings in proportion.")
class SurveySampleInput:
    mode: SurveySampleMode
    value: int = 0


@strawberry.input
class SurveyCampaignInput:
    questionnaire_id: strawberry.ID
    title: str
    opens_at: datetime
    closes_at: datetime
    sample: SurveySampleInput
    cooldown_days: int = strawberry.field(default=90, description="免打扰 Leave out flats sampled by another campaign of the "
                                                                  "project within these days (0–730).")
    seed: str | None = strawberry.field(default=None, description="随机种子; null: a new one. The same seed over the same "
                                                                  "flats draws the same sample.")


@strawberry.mutation(permission_classes=[Requires(Permission.SURVEY_MANAGE)],
                     description="新建调查活动 A campaign of the project on an active questionnaire; a draft until opened.")
@user_errors(SurveyCampaignPayload)
async def create_survey_campaign(info: Info, project_id: strawberry.ID, input: SurveyCampaignInput,
                                 idempotency_key: IdempotencyKey = None) -> SurveyCampaignPayload:
    cmd = CreateCampaign(
        project_id=from_global_id(project_id, "Project", "projectId"),
        questionnaire_id=from_global_id(input.questionnaire_id, "SurveyQuestionnaire", "questionnaireId"),
        spec=CampaignSpec(title=input.title, opens_at=input.opens_at, closes_at=input.closes_at,
                          sample_mode=input.sample.mode.value, sample_value=input.sample.value,
                          cooldown_days=input.cooldown_days, seed=input.seed),
        idempotency_key=idempotency_key)
    return await campaign_payload(info, await service.create_campaign(cmd, unit_of_work(info)))
