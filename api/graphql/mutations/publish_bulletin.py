from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from api.context import Info
from api.graphql.mutations._bulletin import BulletinPayload, change_bulletin
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._unit import require_on
from api.graphql.permissions import Requires
from domain.reviews.repository import publish
from domain.reviews.rules import check_publishable
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.BULLETIN_PUBLISH)],
                     description="发布通报 Publish a draft: the month's figures of its project are frozen into it.")
async def publish_bulletin(info: Info, bulletin_id: strawberry.ID, circulate: Annotated[bool, strawberry.argument(
        description="全公司通报 Also circulate it to every other project of the company (needs the permission company-wide).")] = False,
        idempotency_key: IdempotencyKey = None) -> BulletinPayload:
    async def apply(conn, row, p) -> None:
        check_publishable(row.state)
        if circulate:
            require_on(info, Permission.BULLETIN_PUBLISH)
        await publish(conn, org_id=p.org_id, actor=p.actor, row=row, now=datetime.now(UTC), circulate=circulate)

    return await change_bulletin(info, bulletin_id, "publishBulletin", idempotency_key, {"circulate": circulate}, apply)
