"""12345 三率 The response, resolution and satisfaction rates of one Beijing month's orders, per
project the caller sees and in total (formulas: domain/gov/rates.py, docs/gov-12345.md). One
statement; the arithmetic is the domain's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import reduce
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import to_global_id
from domain.gov.rates import RateCounts, Rates
from domain.gov.repository import COUNTS, counts_of
from domain.kpi.month import month_period
from domain.sla.calendar import CHINA, add_months


@strawberry.type(description="三率 Counts and rates; a rate is null while its denominator is 0.")
class GovRateFigures:
    received: int
    response_due: int = strawberry.field(description="Orders whose response is due by now or was given.")
    responded_on_time: int
    resolve_due: int = strawberry.field(description="Orders not returned whose deadline passed or that have their result.")
    resolved_on_time: int
    evaluated: int
    satisfied: int = strawberry.field(description="Satisfied or basically satisfied.")
    returned: int
    response_rate: float | None = strawberry.field(description="响应率 respondedOnTime / responseDue")
    resolution_rate: float | None = strawberry.field(description="解决率 resolvedOnTime / resolveDue")
    satisfaction_rate: float | None = strawberry.field(description="满意率 satisfied / evaluated")

    @classmethod
    def of(cls, counts: RateCounts) -> GovRateFigures:
        rates = Rates.of(counts)
        return cls(**vars(counts), response_rate=rates.response_rate, resolution_rate=rates.resolution_rate,
                   satisfaction_rate=rates.satisfaction_rate)


@strawberry.type(description="One project's month.")
class GovProjectRates:
    project_id: strawberry.ID
    project_code: str
    project_name: str
    figures: GovRateFigures


@strawberry.type(description="12345 三率 A month's rates: each project the caller sees (or the one asked for) and the total.")
class GovOrderRates:
    month: date
    projects: list[GovProjectRates]
    total: GovRateFigures


async def gov_order_rates(info: Info, project_id: UUID | None, month: date | None) -> GovOrderRates:
    first, _ = month_period(month)
    since = datetime.combine(first, datetime.min.time(), CHINA)
    until = datetime.combine(add_months(first, 1), datetime.min.time(), CHINA)
    rows = await info.context.db.all(COUNTS, {"org": info.context.db.org_id, "since": since, "until": until, "now": datetime.now(UTC),
                                              "p": project_id})
    counted = [(r, counts_of(r)) for r in rows]
    total = reduce(lambda a, b: a + b, (c for _, c in counted), RateCounts())
    return GovOrderRates(
        month=first, total=GovRateFigures.of(total),
        projects=[GovProjectRates(project_id=to_global_id("Project", r.project_id), project_code=r.code, project_name=r.name,
                                  figures=GovRateFigures.of(c)) for r, c in counted])
