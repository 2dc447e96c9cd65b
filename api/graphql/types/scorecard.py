"""月度考评 Scorecards: each project's month scored with the company's weights, its standard score
across the company's projects, rank and trend."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.types.overview import Kpis, overview_data
from api.graphql.types.project import Project
from domain.errors import forbidden
from domain.kpi.scores import Weights, ranks, score, standard_scores

_WEIGHTS = text("SELECT * FROM kpi_weights")
WEIGHT_NAMES = tuple(f.name for f in fields(Weights))


@strawberry.type(description="考评权重 The weights of the monthly evaluation.")
class KpiWeights:
    response: float
    resolution: float
    satisfaction: float
    first_contact: float
    on_time: float
    per_complaint_per_1000: float = strawberry.field(description="Points off per complaint per 1,000 households.")
    per_broken_promise: float = strawberry.field(description="Points off per broken promise per 100 cases received.")


@strawberry.type(description="考评卡 One project's month.")
class Scorecard:
    project: Project
    score: float | None = strawberry.field(description="Out of 100, less penalties; null with nothing received.")
    standard_score: float | None = strawberry.field(description="标准分 50 + 10·z across the company's projects.")
    rank: int | None
    trend: float | None = strawberry.field(description="Standard score against the month before.")
    month: Kpis


async def weights(info: Info) -> Weights:
    row = await info.context.db.first(_WEIGHTS)
    return Weights(**{n: getattr(row, n) for n in WEIGHT_NAMES}) if row else Weights()


def _previous(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


async def scorecards(info: Info, month: date | None) -> list[Scorecard]:
    if info.context.require().projects is not None:
        raise forbidden("Scorecards compare every project of the company: they are for headquarters.")
    w = await weights(info)
    now = await overview_data(info.context.db, month)
    before = await overview_data(info.context.db, _previous(now.month))
    scores = {r.id: s for r, f in zip(now.rows, now.figures, strict=True) if (s := score(f, w)) is not None}
    previous = {r.id: s for r, f in zip(before.rows, before.figures, strict=True) if (s := score(f, w)) is not None}
    standard, standard_before = standard_scores(scores), standard_scores(previous)
    rank = ranks(standard)
    cards = [Scorecard(project=Project.from_row(r), score=scores.get(r.id), standard_score=standard.get(r.id), rank=rank.get(r.id),
                       trend=standard[r.id] - standard_before[r.id] if r.id in standard and r.id in standard_before else None,
                       month=Kpis.of(f)) for r, f in zip(now.rows, now.figures, strict=True)]
    return sorted(cards, key=lambda c: (c.rank is None, c.rank or 0, c.project.code))
