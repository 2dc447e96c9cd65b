from __future__ import annotations

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.scorecard import KpiWeights, weights
from domain.kpi.month import WEIGHT_NAMES
from domain.kpi.scores import Weights
from domain.outbox import write_audit
from tenants.roles import Permission

_UPSERT = text(
    f"INSERT INTO kpi_weights (org_id, {', '.join(WEIGHT_NAMES)}, updated_by) "
    f"VALUES (:o, {', '.join(':' + n for n in WEIGHT_NAMES)}, :by) ON CONFLICT (org_id) DO UPDATE SET "
    + ", ".join(f"{n} = EXCLUDED.{n}" for n in WEIGHT_NAMES) + ", updated_at = now(), updated_by = EXCLUDED.updated_by"
)


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


@strawberry.type
class KpiWeightsPayload:
    weights: KpiWeights | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.EVALUATION_MANAGE)], description="考评权重 Set the company's weights.")
@user_errors(KpiWeightsPayload)
async def set_kpi_weights(info: Info, input: KpiWeightsInput, idempotency_key: IdempotencyKey = None) -> KpiWeightsPayload:
    require_on(info, Permission.EVALUATION_MANAGE, None)
    p = info.context.require()
    chosen = Weights(**{n: float(getattr(input, n)) for n in WEIGHT_NAMES}).check()

    async def work(conn) -> dict:
        await conn.execute(_UPSERT, {"o": p.org_id, "by": p.actor, **{n: getattr(chosen, n) for n in WEIGHT_NAMES}})
        await write_audit(conn, org_id=p.org_id, project_id=None, actor=p.actor, action="evaluation.weights_set",
                          entity="kpi_weights", entity_id=None, data={n: getattr(chosen, n) for n in WEIGHT_NAMES})
        return {"ok": True}

    await write(info, lambda conn: once(info, conn, idempotency_key, "setKpiWeights", vars(input), work))
    w = await weights(info)
    return KpiWeightsPayload(weights=KpiWeights(**{n: getattr(w, n) for n in WEIGHT_NAMES}))
