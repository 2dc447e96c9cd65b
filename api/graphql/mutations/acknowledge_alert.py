"""签收预警 — the worked example of a mutation: parse the input into a command, run the use case
in the caller's unit of work, shape the payload. Refusals are raised and become `errors`."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._alert_payload import AlertPayload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.alert import alert
from api.graphql.types.node import from_global_id
from domain.alerts import service
from domain.alerts.commands import AcknowledgeAlert
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.ALERT_HANDLE)], description="签收预警 Someone is on it.")
@user_errors(AlertPayload)
async def acknowledge_alert(info: Info, alert_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> AlertPayload:
    cmd = AcknowledgeAlert(alert_id=from_global_id(alert_id, "Alert", "alertId"), idempotency_key=idempotency_key)
    done = await service.acknowledge_alert(cmd, unit_of_work(info))
    return AlertPayload(alert=await alert(info, done))
