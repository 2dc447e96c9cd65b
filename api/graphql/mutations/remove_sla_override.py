from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.mutations.set_sla_policy import SlaPoliciesPayload
from api.graphql.permissions import Requires
from api.graphql.types.case import CaseKindType, SeverityType
from api.graphql.types.node import from_global_id
from api.graphql.types.sla_policy import sla_policies
from domain.sla import service
from domain.sla.commands import RemoveSlaOverride
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.SLA_MANAGE)],
                     description="恢复默认 Drop a project's override: the company default applies again.")
@user_errors(SlaPoliciesPayload)
async def remove_sla_override(info: Info, project_id: strawberry.ID, kind: CaseKindType, severity: SeverityType,
                              idempotency_key: IdempotencyKey = None) -> SlaPoliciesPayload:
    project = from_global_id(project_id, "Project", "projectId")
    cmd = RemoveSlaOverride(project_id=project, kind=kind.value, severity=severity.value,
                            request={"projectId": project_id, "kind": kind.value, "severity": severity.value},
                            idempotency_key=idempotency_key)
    await service.remove_sla_override(cmd, unit_of_work(info))
    return SlaPoliciesPayload(policies=await sla_policies(info, project))
