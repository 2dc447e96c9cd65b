"""调查结果 A campaign's results (docs/resident-services.md §7.2): score, response rate, and the same
by building, by dimension and by question. Written answers only for those who may read the
archive on the project (they may name people). Eight statements whatever the campaign's size."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.types.node import from_global_id, to_global_id
from api.graphql.types.survey import SurveyCampaign, SurveyDimension, SurveyQuestionKind, readable_campaign, score_text
from domain.reads import Row
from domain.surveys import reads
from domain.surveys.model import DIMENSIONS
from tenants.roles import Permission


def _rate(part: int, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole else None


@strawberry.type(description="一栋楼的结果 A building's sample, responses and score.")
class SurveyBuildingResult:
    building_id: strawberry.ID
    building_name: str
    sample_size: int
    responses: int
    response_rate: float | None = strawberry.field(description="0–1")
    score: str | None


@strawberry.type(description="一个维度的结果 A dimension's weighted score over its scored answers.")
class SurveyDimensionResult:
    dimension: SurveyDimension
    label: str
    answers: int
    score: str | None


@strawberry.type(description="选项统计 How many chose an option, and their share of the question's answers.")
class SurveyOptionResult:
    option_id: strawberry.ID
    label: str
    count: int
    share: float | None = strawberry.field(description="0–1")


@strawberry.type(description="一道题的结果 A question's answers.")
class SurveyQuestionResult:
    question_id: strawberry.ID
    position: int
    text: str
    kind: SurveyQuestionKind
    answers: int
    mean_rating: str | None = strawberry.field(description="Rating questions: the mean of 1–5.")
    score: str | None = strawberry.field(description="Scored questions: the mean score 0–100.")
    options: list[SurveyOptionResult]
    texts: list[str] = strawberry.field(description="Text questions: the answers (at most 500), for those who may read the "
                                                    "archive on the project; empty otherwise.")


@strawberry.type(description="调查结果 A campaign's results; the score is stored at closing, live before.")
class SurveyResults:
    campaign: SurveyCampaign
    sample_size: int
    responses: int
    response_rate: float | None = strawberry.field(description="回收率 responses ÷ sample, 0–1.")
    score: str | None
    by_building: list[SurveyBuildingResult]
    by_dimension: list[SurveyDimensionResult]
    by_question: list[SurveyQuestionResult]


async def survey_results(info: Info, campaign_id: strawberry.ID) -> SurveyResults:
    row = await readable_campaign(info, from_global_id(campaign_id, "SurveyCampaign", "campaignId"))
    db, c = info.context.db, row.id
    sample = row.sample_size or 0
    score = row.score if row.state == "closed" else await reads.live_score(db, c)
    counts = await reads.option_counts(db, c)
    per_question = {q.question_id: q for q in await reads.by_question(db, c)}
    questions = await reads.questions(db, [row.questionnaire_id])
    options = await reads.options(db, [q.id for q in questions]) if questions else []
    texts: dict = {}
    if info.context.require().can(Permission.ARCHIVE_READ, row.project_id):
        for t in await reads.texts(db, c):
            texts.setdefault(t.question_id, []).append(t.text)
    return SurveyResults(
        campaign=SurveyCampaign.from_row(row), sample_size=sample, responses=row.answered,
        response_rate=_rate(row.answered, sample), score=score_text(score),
        by_building=[SurveyBuildingResult(building_id=to_global_id("Building", b.building_id), building_name=b.name,
                                          sample_size=b.sample_size, responses=b.responses,
                                          response_rate=_rate(b.responses, b.sample_size), score=score_text(b.score))
                     for b in await reads.by_building(db, c)],
        by_dimension=[SurveyDimensionResult(dimension=SurveyDimension(d.dimension), label=DIMENSIONS[d.dimension],
                                            answers=d.answers, score=score_text(d.score)) for d in await reads.by_dimension(db, c)],
        by_question=[_question(q, per_question.get(q.id), [o for o in options if o.question_id == q.id], counts,
                               texts.get(q.id, [])) for q in questions])


def _question(q: Row, figures: Row | None, options: list[Row], counts: dict, texts: list[str]) -> SurveyQuestionResult:
    answers = figures.answers if figures else 0
    return SurveyQuestionResult(
        question_id=to_global_id("SurveyQuestion", q.id), position=q.position, text=q.text, kind=SurveyQuestionKind(q.kind),
        answers=answers, mean_rating=score_text(figures.mean_rating) if figures else None,
        score=score_text(figures.score) if figures and q.weight > 0 else None,
        options=[SurveyOptionResult(option_id=to_global_id("SurveyOption", o.id), label=o.label, count=counts.get(o.id, 0),
                                    share=_rate(counts.get(o.id, 0), answers)) for o in options],
        texts=texts if q.kind == "text" else [])
