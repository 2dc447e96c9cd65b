from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._category_unit import change_category
from api.graphql.permissions import Requires
from api.graphql.types.category import CaseCategoryInput, CaseCategoryPayload
from domain.cases import taxonomy
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CATEGORY_MANAGE)],
                     description="修改类别 Rename a category, or change its kinds or place; the code stays, and so do its cases.")
async def update_case_category(info: Info, code: str, input: CaseCategoryInput,
                               idempotency_key: IdempotencyKey = None) -> CaseCategoryPayload:
    return await change_category(
        info, operation="updateCaseCategory", payload={"code": code, **input.labels().params()}, idempotency_key=idempotency_key,
        change=lambda conn, p: taxonomy.change_category(conn, org_id=p.org_id, actor=p.actor, code=code, labels=input.labels()))
