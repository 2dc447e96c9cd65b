"""月度考评 Scorecards: each project's month scored with the company's weights, its standard score
across the company's projects, rank and trend."""

from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.types.overview import Kpis
from api.graphql.types.project import Project
from domain.errors import forbidden
from domain.kpi.month import company_weights, scored_month
from domain.kpi.scores import Weights


@strawberry.type(description="考评权重 The weights of the monthly evaluation.")
class KpiWeights:
    response: float
    resolution: float
    satisfaction: float
    first_contact: float
    on_time: float
    per_complaint_per_1000: float = strawberry.field(
        description="Points off per complaint per 1,000 households, at most half the rated score.")
    per_broken_promise: float = strawberry.field(
        description="Points off per broken promise per 100 cases received, at most half the rated score.")
    inspection: float = strawberry.field(description="品质检查 The HQ inspection score as a rate, in the months a project was inspected.")
    collection: float = strawberry.field(default=10, description="收缴率 The collection rate of the month's bills, in the months a "
                                                                 "project billed anything.")
    survey: float = strawberry.field(description="满意度调查 The survey score as a rate, in the months a campaign of the project "
                                                 "closed with at least 20 responses.")
    calls: float = strawberry.field(default=0, description="接通率 The answer rate of inbound calls, in the months a project was "
                                                           "offered any; 0 by default.")


@strawberry.type(description="考评卡 One project's month.")
class Scorecard:
    project: Project
    score: float | None = strawberry.field(
        description="0–100: the weighted rates, less penalties each bounded by half of them; null with nothing received.")
    standard_score: float | None = strawberry.field(description="标准分 50 + 10·z across the company's projects.")
    rank: int | None
    trend: float | None = strawberry.field(description="Standard score against the month before.")
    month: Kpis
    inspection_score: float | None = strawberry.field(
        default=None, description="品质检查 The mean score (0–100) of the month's submitted inspections; null if none.")
    collection_rate: float | None = strawberry.field(
        default=None, description="收缴率 Collected ÷ due of the month's bills, as weighed in the score; null when nothing was billed.")
    survey_score: float | None = strawberry.field(
        default=None, description="满意度调查 The response-weighted score (0–100) of the campaigns closed that month with at least "
                                  "20 responses; null if none.")
    answer_rate: float | None = strawberry.field(
        default=None, description="接通率 Answered ÷ offered of the month's inbound calls, as weighed in the score; null without calls.")


async def weights(info: Info) -> Weights:
    return await company_weights(info.context.db)


async def scorecards(info: Info, month: date | None) -> list[Scorecard]:
    if info.context.require().projects is not None:
        raise forbidden("远程评价比较公司的全部项目，仅供总部查看。"
                        "Scorecards compare every project of the company: they are for headquarters.")
    _, scored = await scored_month(info.context.db, month)
    return [Scorecard(project=Project.from_row(c.row), score=c.score, standard_score=c.standard_score, rank=c.rank, trend=c.trend,
                      month=Kpis.of(c.figures), inspection_score=c.inspection_score,
                      collection_rate=c.figures.collection_rate, survey_score=c.survey_score,
                      answer_rate=c.figures.answer_rate) for c in scored]
