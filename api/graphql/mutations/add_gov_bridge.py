from __future__ import annotations

from uuid import UUID

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
from domain.gov.model import check_bridge_name, check_callback_url, check_city
from domain.outbox import write_audit
from tenants.roles import Permission

_INSERT = text(
    "INSERT INTO gov_bridges (org_id, project_id, name, city, callback_url, secret_enc, receiver_id, created_by) "
    "VALUES (:o, :p, :n, :c, :u, :s, :r, :by) RETURNING id"
)
# The receiver registers the orders (首问): an active user with a role on this project or company-wide.
_RECEIVER = text(
    "SELECT 1 FROM users u WHERE u.id = :r AND u.active AND EXISTS (SELECT 1 FROM role_assignments a "
    "  WHERE a.user_id = u.id AND (a.project_id = :p OR a.project_id IS NULL))"
)


@strawberry.input(description="12345 对接 A bridge from a city's government hotline to one project.")
class GovBridgeInput:
    project_id: strawberry.ID
    name: str
    city: str = strawberry.field(description="e.g. 北京市; its deadlines apply (govCityDeadlines).")
    callback_url: str = strawberry.field(description="https URL of a public address our answers are posted to, signed; checked again at every send.")
    receiver_id: strawberry.ID = strawberry.field(description="首问 The staff member its orders are registered by.")


@strawberry.mutation(permission_classes=[Requires(Permission.GOV_BRIDGE_MANAGE)],
                     description="添加12345对接 Add a bridge; the answer carries its signing secret, once.")
@user_errors(GovBridgePayload)
async def add_gov_bridge(info: Info, input: GovBridgeInput, idempotency_key: IdempotencyKey = None) -> GovBridgePayload:
    project = from_global_id(input.project_id, "Project", "projectId")
    require_on(info, Permission.GOV_BRIDGE_MANAGE, project)
    p = info.context.require()
    receiver = from_global_id(input.receiver_id, "User", "receiverId")
    name, city = check_bridge_name(input.name), check_city(input.city)
    url = check_callback_url(input.callback_url, allow_loopback=info.context.platform.settings.allow_loopback_deliveries)
    made: list[str] = []

    async def work(conn) -> dict:
        if not (await conn.execute(text("SELECT 1 FROM projects WHERE id = :p"), {"p": project})).first():
            raise not_found("The project", "projectId")
        if not (await conn.execute(_RECEIVER, {"r": receiver, "p": project})).first():
            raise not_found("An active user with a role on this project", "receiverId")
        secret, stored = signing_secret(info)
        made.append(secret)
        bridge_id = (await conn.execute(_INSERT, {"o": p.org_id, "p": project, "n": name, "c": city, "u": url, "s": stored,
                                                  "r": receiver, "by": p.actor})).scalar_one()
        await write_audit(conn, org_id=p.org_id, project_id=project, actor=p.actor, action="gov_bridge.added",
                          entity="gov_bridge", entity_id=bridge_id, data={"name": name, "city": city, "callback_url": url})
        return {"bridge_id": str(bridge_id)}

    result = await write(info, lambda conn: once(info, conn, idempotency_key, "addGovBridge", vars(input), work))
    return GovBridgePayload(bridge=await gov_bridge(info, UUID(result["bridge_id"])), secret=made[0] if made else None)
