from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._category_unit import change_category
from api.graphql.permissions import Requires
from api.graphql.types.category import CaseCategoryPayload
from domain.cases.taxonomy import set_archived
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CATEGORY_MANAGE)],
                     description="停用/启用类别 Archive a category (new cases refuse it with CATEGORY_ARCHIVED; its cases keep it "
                                 "and stay readable) or bring it back.")
async def set_case_category_archived(info: Info, code: str, archived: bool,
                                     idempotency_key: IdempotencyKey = None) -> CaseCategoryPayload:
    return await change_category(
        info, operation="setCaseCategoryArchived", payload={"code": code, "archived": archived}, idempotency_key=idempotency_key,
        change=lambda conn, p: set_archived(conn, org_id=p.org_id, actor=p.actor, code=code, archived=archived))
