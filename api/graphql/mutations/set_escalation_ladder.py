from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.sla_policy import EscalationLadder, escalation_ladder
from domain.sla import service
from domain.sla.commands import SetEscalationLadder
from domain.sla.policy import Ladder
from tenants.roles import Permission


@strawberry.input(description="Percent of a target at which the reminder and each level fire.")
class EscalationLadderInput:
    remind_percent: int = 80
    l1_percent: int = 100
    l2_percent: int = 150
    l3_percent: int = 200


@strawberry.type
class EscalationLadderPayload:
    ladder: EscalationLadder | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.SLA_MANAGE)],
                     description="升级阶梯 Set the company's ladder (applies to targets started afterwards).")
@user_errors(EscalationLadderPayload)
async def set_escalation_ladder(info: Info, input: EscalationLadderInput,
                                idempotency_key: IdempotencyKey = None) -> EscalationLadderPayload:
    ladder = Ladder(input.remind_percent, input.l1_percent, input.l2_percent, input.l3_percent)
    cmd = SetEscalationLadder(ladder=ladder, request=dict(vars(input)), idempotency_key=idempotency_key)
    await service.set_escalation_ladder(cmd, unit_of_work(info))
    return EscalationLadderPayload(ladder=await escalation_ladder(info))
