from __future__ import annotations

import strawberry
from sqlalchemy import text

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, write
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.notification import unread_count
from domain.errors import forbidden, invalid
from tenants.roles import Permission

_MARK = text("UPDATE notifications SET read_at = now() WHERE user_id = :u AND read_at IS NULL AND (:all OR id = ANY(:ids))")


@strawberry.type
class MarkNotificationsReadPayload:
    unread_count: int | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.ORG_READ)], description="标为已读 Mark some or all of the caller's notifications read.")
@user_errors(MarkNotificationsReadPayload)
async def mark_notifications_read(info: Info, ids: list[strawberry.ID] | None = None, all: bool = False,
                                  idempotency_key: IdempotencyKey = None) -> MarkNotificationsReadPayload:
    p = info.context.require()
    if p.kind != "user":
        raise forbidden("Integrator keys have no inbox.")
    if not all and not ids:
        raise invalid("Give the ids to mark, or all: true.", "ids")
    if ids and len(ids) > 500:
        raise invalid("At most 500 ids at a time; or all: true.", "ids")
    chosen = [from_global_id(i, "Notification", "ids") for i in ids or []]

    async def work(conn) -> dict:
        # Only the caller's own rows match: someone else's id changes nothing.
        await conn.execute(_MARK, {"u": p.id, "all": all, "ids": chosen})
        return {"ok": True}

    await write(info, lambda conn: once(info, conn, idempotency_key, "markNotificationsRead",
                                        {"ids": ids or [], "all": all}, work))
    return MarkNotificationsReadPayload(unread_count=await unread_count(info, p.id))
