from __future__ import annotations

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._gov_bridge import GovBridgePayload
from api.graphql.mutations._secret import signing_secret
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.gov_order import gov_bridge
from api.graphql.types.node import from_global_id
from domain.errors import not_found
from domain.outbox import write_audit
from tenants.roles import Permission

_PROJECT = text("SELECT project_id FROM gov_bridges WHERE id = :id FOR UPDATE")
_ROTATE = text("UPDATE gov_bridges SET secret_enc = :s WHERE id = :id")


@strawberry.mutation(permission_classes=[Requires(Permission.GOV_BRIDGE_MANAGE)],
                     description="更换密钥 A new signing secret, shown once; the old one stops working at once, both ways.")
@user_errors(GovBridgePayload)
async def rotate_gov_bridge_secret(info: Info, bridge_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> GovBridgePayload:
    bid = from_global_id(bridge_id, "GovBridge", "bridgeId")
    p = info.context.require()
    made: list[str] = []

    async def work(conn) -> dict:
        row = (await conn.execute(_PROJECT, {"id": bid})).first()
        if row is None:
            raise not_found("The 12345 bridge", "bridgeId")
        require_on(info, Permission.GOV_BRIDGE_MANAGE, row.project_id)
        secret, stored = signing_secret(info)
        made.append(secret)
        await conn.execute(_ROTATE, {"s": stored, "id": bid})
        await write_audit(conn, org_id=p.org_id, project_id=row.project_id, actor=p.actor, action="gov_bridge.secret_rotated",
                          entity="gov_bridge", entity_id=bid)
        return {"bridge_id": str(bid)}

    await write(info, lambda conn: once(info, conn, idempotency_key, "rotateGovBridgeSecret", {"bridgeId": bridge_id}, work))
    return GovBridgePayload(bridge=await gov_bridge(info, bid), secret=made[0] if made else None)
