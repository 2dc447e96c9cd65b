from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._bulletin import BulletinPayload, change_bulletin
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._unit import require_on
from api.graphql.permissions import Requires
from domain.reviews.repository import withdraw
from domain.reviews.rules import check_withdrawal
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.BULLETIN_PUBLISH)],
                     description="撤回通报 Withdraw a published bulletin, saying why; it (and any circulated copy) "
                                 "stays on record as withdrawn.")
async def withdraw_bulletin(info: Info, bulletin_id: strawberry.ID, reason: str, idempotency_key: IdempotencyKey = None) -> BulletinPayload:
    async def apply(conn, row, p) -> None:
        if row.circulated:  # its copies are in every project
            require_on(info, Permission.BULLETIN_PUBLISH)
        await withdraw(conn, org_id=p.org_id, actor=p.actor, row=row, reason=check_withdrawal(row.state, reason))

    return await change_bulletin(info, bulletin_id, "withdrawBulletin", idempotency_key, {"reason": reason}, apply)
