from __future__ import annotations

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import require_on, write
from api.graphql.mutations._secret import signing_secret
from api.graphql.mutations.add_outside_body import OutsideBodyPayload
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from api.graphql.types.outside_body import outside_body
from domain.errors import not_found
from domain.outbox import write_audit
from domain.referrals import repository
from tenants.roles import Permission

_ROTATE = text("UPDATE outside_bodies SET secret_enc = :s WHERE id = :id")


@strawberry.mutation(permission_classes=[Requires(Permission.OUTSIDE_BODY_MANAGE)], description=(
    "更换密钥 A new signing secret for a body, shown this once; the old one stops working at once. "
    "No idempotency key: a retry makes another secret, and the last one shown is the one in force."))
@user_errors(OutsideBodyPayload)
async def rotate_outside_body_secret(info: Info, body_id: strawberry.ID) -> OutsideBodyPayload:
    secret, stored = signing_secret(info)
    bid = from_global_id(body_id, "OutsideBody", "bodyId")
    p = info.context.require()

    async def work(conn) -> None:
        b = await repository.body(conn, bid)
        if b is None:
            raise not_found("The outside body", "bodyId")
        require_on(info, Permission.OUTSIDE_BODY_MANAGE, b.project_id)
        await conn.execute(_ROTATE, {"id": bid, "s": stored})
        await write_audit(conn, org_id=p.org_id, project_id=b.project_id, actor=p.actor, action="outside_body.secret_rotated",
                          entity="outside_body", entity_id=bid, data={})

    await write(info, work)
    return OutsideBodyPayload(body=await outside_body(info, bid), secret=secret)
