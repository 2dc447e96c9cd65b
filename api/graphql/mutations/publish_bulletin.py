from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import Info
from api.graphql.mutations._bulletin import BulletinPayload, bulletin_payload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.reviews import service
from domain.reviews.commands import PublishBulletin
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.BULLETIN_PUBLISH)],
                     description="发布通报 Publish a draft: the month's figures of its project are frozen into it.")
@user_errors(BulletinPayload)
async def publish_bulletin(info: Info, bulletin_id: strawberry.ID, circulate: Annotated[bool, strawberry.argument(
        description="全公司通报 Also circulate it to every other project of the company (needs the permission company-wide).")] = False,
        idempotency_key: IdempotencyKey = None) -> BulletinPayload:
    cmd = PublishBulletin(bulletin_id=from_global_id(bulletin_id, "Bulletin", "bulletinId"), circulate=circulate,
                          idempotency_key=idempotency_key)
    return await bulletin_payload(info, await service.publish_bulletin(cmd, unit_of_work(info)))
