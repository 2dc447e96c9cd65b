from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires

from api.graphql.mutations._survey import SurveyQuestionnairePayload, questionnaire_payload
from api.graphql.types.node import from_global_id
from domain.surveys import service
from domain.surveys.commands import SetQuestionnaireActive
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.SURVEY_MANAGE)],
                     description="启用/停用问卷 A switched-off questionnaire takes no new campaign; campaigns made keep it.")
@user_errors(SurveyQuestionnairePayload)
async def set_survey_questionnaire_active(info: Info, questionnaire_id: strawberry.ID, active: bool,
                                          idempotency_key: IdempotencyKey = None) -> SurveyQuestionnairePayload:
    cmd = SetQuestionnaireActive(questionnaire_id=from_global_id(questionnaire_id, "SurveyQuestionnaire", "questionnaireId"),
                                 active=active, idempotency_key=idempotency_key)
    return await questionnaire_payload(info, await service.set_questionnaire_active(cmd, unit_of_work(info)))
