from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires

from api.graphql.mutations._survey import SurveyQuestionnairePayload, questionnaire_payload
from api.graphql.types.survey import SurveyDimension, SurveyQuestionKind
from domain.surveys import service
from domain.surveys.commands import CreateQuestionnaire
from domain.surveys.model import OptionSpec, QuestionSpec
from tenants.roles import Permission


@strawberry.input(description="选项 A choice's option and the score it gives (0–100).")
class SurveyOptionInput:
    label: str
    score: int = 0


@strawberry.input(description="题目 A question. Weight 0–100 (0: not scored); only RATING and SINGLE may be scored.")
class SurveyQuestionInput:
    kind: SurveyQuestionKind
    text: str
    required: bool = True
    dimension: SurveyDimension | None = None
    weight: int = 0
    options: list[SurveyOptionInput] = strawberry.field(default_factory=list, description="SINGLE and MULTIPLE: 2–20.")


@strawberry.input
class SurveyQuestionnaireInput:
    title: str
    intro: str = ""
    questions: list[SurveyQuestionInput]


@strawberry.mutation(permission_classes=[Requires(Permission.SURVEY_MANAGE)],
                     description="新建问卷 A questionnaire of the company (survey:manage company-wide), its questions in order; "
                                 "they never change afterwards — a new version is a new questionnaire.")
@user_errors(SurveyQuestionnairePayload)
async def create_survey_questionnaire(info: Info, input: SurveyQuestionnaireInput,
                                      idempotency_key: IdempotencyKey = None) -> SurveyQuestionnairePayload:
    cmd = CreateQuestionnaire(
        title=input.title, intro=input.intro, idempotency_key=idempotency_key,
        questions=tuple(QuestionSpec(kind=q.kind.value, text=q.text, required=q.required,
                                     dimension=q.dimension.value if q.dimension else None, weight=q.weight,
                                     options=tuple(OptionSpec(o.label, o.score) for o in q.options)) for q in input.questions))
    return await questionnaire_payload(info, await service.create_questionnaire(cmd, unit_of_work(info)))
