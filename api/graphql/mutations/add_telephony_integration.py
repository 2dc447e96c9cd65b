from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._telephony import TelephonyIntegrationPayload
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.calls import telephony_integration
from api.graphql.types.node import from_global_id
from domain.calls import integrations
from domain.calls.commands import AddTelephonyIntegration
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CALLS_MANAGE)],
                     description="添加话务对接 Add a telephony integration to a project; the answer carries its signing secret, once.")
@user_errors(TelephonyIntegrationPayload)
async def add_telephony_integration(info: Info, project_id: strawberry.ID, name: str, ring_seconds: int = 5,
                                    idempotency_key: IdempotencyKey = None) -> TelephonyIntegrationPayload:
    cmd = AddTelephonyIntegration(project_id=from_global_id(project_id, "Project", "projectId"), name=name,
                                  ring_seconds=ring_seconds, idempotency_key=idempotency_key)
    made, secret = await integrations.add_telephony_integration(cmd, unit_of_work(info), cipher=info.context.platform.cipher)
    return TelephonyIntegrationPayload(integration=await telephony_integration(info, made), secret=secret)
