"""What the bulletin mutations share: the payload."""

from __future__ import annotations

from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.bulletin import Bulletin, bulletin
from api.graphql.types.errors import UserError


@strawberry.type
class BulletinPayload:
    bulletin: Bulletin | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def bulletin_payload(info: Info, bulletin_id: UUID) -> BulletinPayload:
    return BulletinPayload(bulletin=await bulletin(info, bulletin_id))
