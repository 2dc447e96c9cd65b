from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.category import CaseCategoryInput, CaseCategoryPayload, category_payload
from api.graphql.types.errors import UserError
from domain.cases.taxonomy import add_category
from domain.errors import DomainError
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CATEGORY_MANAGE)],
                     description="新增类别 Add a case category to the company's taxonomy; its code is what clients send.")
async def add_case_category(info: Info, code: str, input: CaseCategoryInput,
                            idempotency_key: IdempotencyKey = None) -> CaseCategoryPayload:
    try:
        require_on(info, Permission.CATEGORY_MANAGE)
        p = info.context.require()

        async def work(conn) -> dict:
            row = await add_category(conn, org_id=p.org_id, actor=p.actor, code=code, labels=input.labels())
            return {"code": row.code}

        payload = {"code": code, **input.labels().params()}
        done = await write(info, lambda conn: once(info, conn, idempotency_key, "addCaseCategory", payload, work))
    except DomainError as e:
        return CaseCategoryPayload(errors=[UserError.of(e)])
    return await category_payload(info, done["code"])
