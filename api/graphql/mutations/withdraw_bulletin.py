from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._bulletin import BulletinPayload, bulletin_payload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.reviews import service
from domain.reviews.commands import WithdrawBulletin
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.BULLETIN_PUBLISH)],
                     description="撤回通报 Withdraw a published bulletin, saying why; it (and any circulated copy) "
                                 "stays on record as withdrawn.")
@user_errors(BulletinPayload)
async def withdraw_bulletin(info: Info, bulletin_id: strawberry.ID, reason: str, idempotency_key: IdempotencyKey = None) -> BulletinPayload:
    cmd = WithdrawBulletin(bulletin_id=from_global_id(bulletin_id, "Bulletin", "bulletinId"), reason=reason,
                           idempotency_key=idempotency_key)
    return await bulletin_payload(info, await service.withdraw_bulletin(cmd, unit_of_work(info)))
