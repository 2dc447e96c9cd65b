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
from domain.alerts.commands import ResolveAlert
from domain.alerts.model import resolution_note
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.ALERT_HANDLE)],
                     description="处置预警 Resolve with a note of what was done; the rule may open a new alert afterwards.")
@user_errors(AlertPayload)
async def resolve_alert(info: Info, alert_id: strawberry.ID, note: str, idempotency_key: IdempotencyKey = None) -> AlertPayload:
    note = resolution_note(note)  # before the id, as ever: a missing note is the first thing said
    cmd = ResolveAlert(alert_id=from_global_id(alert_id, "Alert", "alertId"), note=note, idempotency_key=idempotency_key)
    done = await service.resolve_alert(cmd, unit_of_work(info))
    return AlertPayload(alert=await alert(info, done))
