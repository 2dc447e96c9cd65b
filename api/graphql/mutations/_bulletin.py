"""What the bulletin mutations share: the payload, and the unit of work that loads a bulletin
locked, checks the permission on its project and applies one change — once per idempotency key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.types.bulletin import Bulletin, bulletin
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.reviews.repository import locked_bulletin
from tenants.roles import Permission


@strawberry.type
class BulletinPayload:
    bulletin: Bulletin | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def bulletin_payload(info: Info, bulletin_id: UUID) -> BulletinPayload:
    return BulletinPayload(bulletin=await bulletin(info, bulletin_id))


@user_errors(BulletinPayload)
async def change_bulletin(info: Info, bulletin_id: strawberry.ID, operation: str, key: str | None, payload: dict[str, Any],
                          apply: Callable[[Any, Any, Any], Awaitable[None]]) -> BulletinPayload:
    bid = from_global_id(bulletin_id, "Bulletin", "bulletinId")
    p = info.context.require()

    async def work(conn) -> dict:
        row = await locked_bulletin(conn, bid)
        require_on(info, Permission.BULLETIN_PUBLISH, row.project_id)
        await apply(conn, row, p)
        return {"id": str(bid)}

    await write(info, lambda conn: once(info, conn, key, operation, {"bulletinId": bulletin_id, **payload}, work))
    return await bulletin_payload(info, bid)
