from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.scorecard import KpiWeights, weights
from domain.kpi import service
from domain.kpi.commands import SetKpiWeights
from domain.kpi.month import WEIGHT_NAMES
from domain.kpi.scores import Weights
from tenants.roles import Permission


@strawberry.input(description="Weights of the rates (points out of 100, renormalised over the rates with data) and penalties "
                               "(points off, each at most half the rated score).")
class KpiWeightsInput:
    response: float = 25
    resolution: float = 25
    satisfaction: float = 30
    first_contact: float = 10
    on_time: float = 10
    per_complaint_per_1000: float = 2
    per_broken_promise: float = 1
    inspection: float = strawberry.field(default=10, description="品质检查 Weight of the HQ inspection score (0–100 as a rate), in "
                                                                  "the months a project was inspected.")
    collection: float = strawberry.field(default=10, description="收缴率 Weight of the collection rate, in the months a project "
                                                                 "billed anything.")
    survey: float = strawberry.field(default=10, description="满意度调查 Weight of the survey score (0–100 as a rate), in the "
                                                              "months a campaign of the project closed with at least 20 responses.")
    calls: float = strawberry.field(default=0, description="接通率 Weight of the answer rate of inbound calls, in the months a "
                                                           "project was offered any; 0 by default.")


@strawberry.type
class KpiWeightsPayload:
    weights: KpiWeights | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.EVALUATION_MANAGE)], description="考评权重 Set the company's weights.")
@user_errors(KpiWeightsPayload)
async def set_kpi_weights(info: Info, input: KpiWeightsInput, idempotency_key: IdempotencyKey = None) -> KpiWeightsPayload:
    cmd = SetKpiWeights(Weights(**{n: float(getattr(input, n)) for n in WEIGHT_NAMES}), idempotency_key=idempotency_key)
    await service.set_kpi_weights(cmd, unit_of_work(info))
    w = await weights(info)
    return KpiWeightsPayload(weights=KpiWeights(**{n: getattr(w, n) for n in WEIGHT_NAMES}))
