from __future__ import annotations

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations.acknowledge_alert import AlertPayload, change_alert
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from domain.errors import DomainError, ErrorCode, invalid
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.ALERT_HANDLE)],
                     description="处置预警 Resolve with a note of what was done; the rule may open a new alert afterwards.")
async def resolve_alert(info: Info, alert_id: strawberry.ID, note: str, idempotency_key: IdempotencyKey = None) -> AlertPayload:
    note = (note or "").strip()
    if not 1 <= len(note) <= 2000:
        return AlertPayload(errors=[UserError.of(invalid("Say what was done (1–2,000 characters).", "note"))])

    async def apply(conn, row, actor) -> str:
        if row.state == "resolved":
            raise DomainError(ErrorCode.INVALID_STATE, "This alert is already resolved.")
        await conn.execute(text("UPDATE alerts SET state = 'resolved', resolved_at = now(), resolved_by = :by, resolution_note = :n, "
                                "acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, :by) "
                                "WHERE id = :id"), {"id": row.id, "by": actor, "n": note})
        return "alert.resolved"

    return await change_alert(info, alert_id, "resolveAlert", idempotency_key, {"note": note}, apply)
