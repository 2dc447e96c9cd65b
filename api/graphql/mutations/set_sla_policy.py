from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.case import CaseKindType, SeverityType
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.sla_policy import SlaClock, SlaPolicy, sla_policies
from domain.sla import service
from domain.sla.calendar import ClockKind
from domain.sla.commands import SetSlaPolicy
from domain.sla.policy import Policy
from tenants.roles import Permission


@strawberry.input(description="One cell of the policy matrix. Without projectId: the company default.")
class SlaPolicyInput:
    project_id: strawberry.ID | None = None
    kind: CaseKindType
    severity: SeverityType
    clock: SlaClock = ClockKind.ALWAYS
    commit_minutes: int
    arrive_minutes: int
    resolve_minutes: int
    visit_minutes: int


@strawberry.type
class SlaPoliciesPayload:
    policies: list[SlaPolicy] | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.SLA_MANAGE)],
                     description="设置时效标准 Set a cell: company-wide needs sla:manage on the company, an override on the project.")
@user_errors(SlaPoliciesPayload)
async def set_sla_policy(info: Info, input: SlaPolicyInput, idempotency_key: IdempotencyKey = None) -> SlaPoliciesPayload:
    project = from_global_id(input.project_id, "Project", "projectId") if input.project_id else None
    policy = Policy(ClockKind(input.clock.value), input.commit_minutes, input.arrive_minutes, input.resolve_minutes,
                    input.visit_minutes)
    cmd = SetSlaPolicy(project_id=project, kind=input.kind.value, severity=input.severity.value, policy=policy,
                       request={k: (v.value if hasattr(v, "value") else v) for k, v in vars(input).items()},
                       idempotency_key=idempotency_key)
    await service.set_sla_policy(cmd, unit_of_work(info))
    return SlaPoliciesPayload(policies=await sla_policies(info, project))
