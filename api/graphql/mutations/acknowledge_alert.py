from __future__ import annotations

from uuid import UUID

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.alert import Alert, alert
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.errors import DomainError, ErrorCode, not_found
from domain.events import Event
from domain.outbox import write_audit, write_event
from tenants.roles import Permission

_ALERT = text("SELECT id, project_id, state FROM alerts WHERE id = :id FOR UPDATE")


@strawberry.type
class AlertPayload:
    alert: Alert | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def change_alert(info: Info, alert_id: strawberry.ID, operation: str, key: str | None, payload: dict, apply) -> AlertPayload:
    """Load the alert locked, check the permission on its project, apply, audit — once per key."""
    try:
        aid = from_global_id(alert_id, "Alert", "alertId")
        p = info.context.require()

        async def work(conn) -> dict:
            row = (await conn.execute(_ALERT, {"id": aid})).first()
            if row is None:
                raise not_found("The alert", "alertId")
            require_on(info, Permission.ALERT_HANDLE, row.project_id)
            action = await apply(conn, row, p.actor)
            await write_audit(conn, org_id=p.org_id, project_id=row.project_id, actor=p.actor, action=action, entity="alert",
                              entity_id=aid, data=payload)
            # Announced like any change, so that live subscribers hear of it at commit.
            await write_event(conn, Event(topic=action, org_id=p.org_id, project_id=row.project_id,
                                          payload={"alert_id": str(aid), "actor": p.actor}))
            return {"id": str(aid)}

        result = await write(info, lambda conn: once(info, conn, key, operation, {"alertId": alert_id, **payload}, work))
    except DomainError as e:
        return AlertPayload(errors=[UserError.of(e)])
    return AlertPayload(alert=await alert(info, UUID(result["id"])))


@strawberry.mutation(permission_classes=[Requires(Permission.ALERT_HANDLE)], description="签收预警 Someone is on it.")
async def acknowledge_alert(info: Info, alert_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> AlertPayload:
    async def apply(conn, row, actor) -> str:
        if row.state != "open":
            raise DomainError(ErrorCode.INVALID_STATE, f"An alert that is {row.state} cannot be acknowledged.")
        await conn.execute(text("UPDATE alerts SET state = 'acknowledged', acknowledged_at = now(), acknowledged_by = :by "
                                "WHERE id = :id"), {"id": row.id, "by": actor})
        return "alert.acknowledged"

    return await change_alert(info, alert_id, "acknowledgeAlert", idempotency_key, {}, apply)
