from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._category_unit import change_category
from api.graphql.permissions import Requires
from api.graphql.types.category import CaseCategoryInput, CaseCategoryPayload
from domain.cases.taxonomy import add_category
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CATEGORY_MANAGE)],
                     description="新增类别 Add a case category to the company's taxonomy; its code is what clients send.")
async def add_case_category(info: Info, code: str, input: CaseCategoryInput,
                            idempotency_key: IdempotencyKey = None) -> CaseCategoryPayload:
    return await change_category(
        info, operation="addCaseCategory", payload={"code": code, **input.labels().params()}, idempotency_key=idempotency_key,
        change=lambda conn, p: add_category(conn, org_id=p.org_id, actor=p.actor, code=code, labels=input.labels()))
