"""满意度调查 as a resident sees it (docs/resident-services.md §7.4, §9.1): an open campaign that
sampled one of their flats, its questions to answer, and whether the flat has answered — never
the campaign's figures or anyone else's answers. Three statements whatever the count."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import to_global_id
from api.graphql.types.survey import SurveyQuestionKind
from domain.reads import Row
from domain.surveys import reads, resident_reads
from domain.surveys.model import KIND_LABELS


@strawberry.type(description="选项 An option to choose.")
class ResidentSurveyOption:
    id: strawberry.ID
    label: str


@strawberry.type(description="题目 A question: RATING takes 1–5, SINGLE one option, MULTIPLE one or more, TEXT words.")
class ResidentSurveyQuestion:
    id: strawberry.ID
    position: int
    kind: SurveyQuestionKind
    kind_label: str
    text: str
    required: bool
    options: list[ResidentSurveyOption]


@strawberry.type(description="满意度调查 A survey the resident is asked to answer, for one of their flats.")
class ResidentSurvey:
    campaign_id: strawberry.ID
    title: str
    intro: str
    closes_at: datetime
    unit_id: strawberry.ID
    unit_label: str
    answered: bool = strawberry.field(description="已答 The flat has answered (by anyone living there, or to staff).")
    questions: list[ResidentSurveyQuestion]


async def resident_surveys(info: Info, pending: bool) -> list[ResidentSurvey]:
    db = info.context.db
    rows = [r for r in await resident_reads.surveys(db) if not (pending and r.answered)]
    questions: dict[UUID, list[Row]] = defaultdict(list)
    options: dict[UUID, list[ResidentSurveyOption]] = defaultdict(list)
    if rows:
        question_rows = await reads.questions(db, list({r.questionnaire_id for r in rows}))
        for q in question_rows:
            questions[q.questionnaire_id].append(q)
        if question_rows:
            for o in await reads.options(db, [q.id for q in question_rows]):
                options[o.question_id].append(ResidentSurveyOption(id=to_global_id("SurveyOption", o.id), label=o.label))
    return [ResidentSurvey(
        campaign_id=to_global_id("SurveyCampaign", r.campaign_id), title=r.title, intro=r.intro, closes_at=r.closes_at,
        unit_id=to_global_id("Unit", r.unit_id), unit_label=r.unit_label, answered=r.answered,
        questions=[ResidentSurveyQuestion(id=to_global_id("SurveyQuestion", q.id), position=q.position,
                                          kind=SurveyQuestionKind(q.kind), kind_label=KIND_LABELS[q.kind], text=q.text,
                                          required=q.required, options=options.get(q.id, []))
                   for q in questions.get(r.questionnaire_id, [])]) for r in rows]
