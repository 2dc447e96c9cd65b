from __future__ import annotations

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._gov_bridge import GovBridgePayload
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.gov_order import gov_bridge
from api.graphql.types.node import from_global_id
from domain.errors import not_found
from domain.outbox import write_audit
from tenants.roles import Permission

_PROJECT = text("SELECT project_id FROM gov_bridges WHERE id = :id FOR UPDATE")
_SET = text("UPDATE gov_bridges SET active = :a WHERE id = :id")


@strawberry.mutation(permission_classes=[Requires(Permission.GOV_BRIDGE_MANAGE)],
                     description="启用/停用 Switch a bridge on or off: off, its requests are refused (403); answers owed still go back.")
@user_errors(GovBridgePayload)
async def set_gov_bridge_active(info: Info, bridge_id: strawberry.ID, active: bool,
                                idempotency_key: IdempotencyKey = None) -> GovBridgePayload:
    bid = from_global_id(bridge_id, "GovBridge", "bridgeId")
    p = info.context.require()

    async def work(conn) -> dict:
        row = (await conn.execute(_PROJECT, {"id": bid})).first()
        if row is None:
            raise not_found("The 12345 bridge", "bridgeId")
        require_on(info, Permission.GOV_BRIDGE_MANAGE, row.project_id)
        await conn.execute(_SET, {"a": active, "id": bid})
        await write_audit(conn, org_id=p.org_id, project_id=row.project_id, actor=p.actor, action="gov_bridge.switched",
                          entity="gov_bridge", entity_id=bid, data={"active": active})
        return {"bridge_id": str(bid)}

    await write(info, lambda conn: once(info, conn, idempotency_key, "setGovBridgeActive",
                                        {"bridgeId": bridge_id, "active": active}, work))
    return GovBridgePayload(bridge=await gov_bridge(info, bid))
