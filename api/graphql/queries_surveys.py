"""Root query fields of satisfaction surveys (docs/resident-services.md §9.2), joined into `Query`.
Each needs survey:read; a campaign or project of another company, or one the caller holds no
survey:read on, is NOT_FOUND."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.permissions import Requires
from api.graphql.reach import required_project_in_reach
from api.graphql.types.node import page_size
from api.graphql.types.survey import SurveyCampaign, SurveyCampaignState, SurveyQuestionnaire, questionnaire_list
from api.graphql.types.survey_results import SurveyResults, survey_results
from api.graphql.types.survey_sample import SurveySampledFlat, survey_sample
from domain.errors import not_found
from domain.surveys import reads
from tenants.roles import Permission


@strawberry.type
class SurveyQueries:
    @strawberry.field(permission_classes=[Requires(Permission.SURVEY_READ)],
                      description="问卷 The company's questionnaires with their questions, newest first.")
    async def survey_questionnaires(self, info: Info, include_inactive: bool = True) -> list[SurveyQuestionnaire]:
        return await questionnaire_list(info, await reads.questionnaires(info.context.db, include_inactive))

    @strawberry.field(permission_classes=[Requires(Permission.SURVEY_READ)],
                      description="调查活动 A project's survey campaigns, newest first.")
    async def survey_campaigns(self, info: Info, project_id: strawberry.ID, state: SurveyCampaignState | None = None,
                               first: int | None = 50) -> list[SurveyCampaign]:
        project = await required_project_in_reach(info, project_id)
        if not info.context.require().can(Permission.SURVEY_READ, project):
            raise not_found("The project", "projectId", zh="项目")
        rows = await reads.campaigns(info.context.db, project, state.value if state else None, page_size(first))
        return [SurveyCampaign.from_row(r) for r in rows]

    @strawberry.field(permission_classes=[Requires(Permission.SURVEY_READ)],
                      description="调查结果 A campaign's score, response rate, and the same by building, dimension and question.")
    async def survey_results(self, info: Info, campaign_id: strawberry.ID) -> SurveyResults:
        return await survey_results(info, campaign_id)

    @strawberry.field(permission_classes=[Requires(Permission.SURVEY_READ)],
                      description="样本 A campaign's sampled flats by building and number; `pending`: only those yet to "
                                  "answer; `flat`: part of the flat's label as typed (3单元, 1502).")
    async def survey_sample(self, info: Info, campaign_id: strawberry.ID, pending: bool = False, flat: str | None = None,
                            first: int | None = 50) -> list[SurveySampledFlat]:
        return await survey_sample(info, campaign_id, pending, flat, first)
