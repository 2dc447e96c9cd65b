"""What the survey mutations share: the payloads, the answers' input, and parsing ids."""

from __future__ import annotations

from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.survey import SurveyCampaign, SurveyQuestionnaire, campaign, questionnaire
from domain.surveys.answers import Answer


@strawberry.type
class SurveyQuestionnairePayload:
    questionnaire: SurveyQuestionnaire | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SurveyCampaignPayload:
    campaign: SurveyCampaign | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SurveyResponsePayload:
    response_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="一题的回答 RATING: rating 1–5; SINGLE: one optionId; MULTIPLE: one or more; TEXT: text.")
class SurveyAnswerInput:
    question_id: strawberry.ID
    option_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    rating: int | None = None
    text: str | None = None

    def answer(self) -> Answer:
        return Answer(question_id=from_global_id(self.question_id, "SurveyQuestion", "answers"),
                      option_ids=tuple(from_global_id(o, "SurveyOption", "answers") for o in self.option_ids),
                      rating=self.rating, text=self.text)


async def questionnaire_payload(info: Info, questionnaire_id: UUID) -> SurveyQuestionnairePayload:
    return SurveyQuestionnairePayload(questionnaire=await questionnaire(info, questionnaire_id))


async def campaign_payload(info: Info, campaign_id: UUID) -> SurveyCampaignPayload:
    return SurveyCampaignPayload(campaign=await campaign(info, campaign_id))


def parse_campaign_id(value: strawberry.ID) -> UUID:
    return from_global_id(value, "SurveyCampaign", "campaignId")
