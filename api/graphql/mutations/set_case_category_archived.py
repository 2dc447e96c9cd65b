from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.category import CaseCategoryPayload, category_payload
from api.graphql.types.errors import UserError
from domain.cases.taxonomy import set_archived
from domain.errors import DomainError
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CATEGORY_MANAGE)],
                     description="停用/启用类别 Archive a category (new cases refuse it with CATEGORY_ARCHIVED; its cases keep it "
                                 "and stay readable) or bring it back.")
async def set_case_category_archived(info: Info, code: str, archived: bool,
                                     idempotency_key: IdempotencyKey = None) -> CaseCategoryPayload:
    try:
        require_on(info, Permission.CATEGORY_MANAGE)
        p = info.context.require()

        async def work(conn) -> dict:
            row = await set_archived(conn, org_id=p.org_id, actor=p.actor, code=code, archived=archived)
            return {"code": row.code}

        done = await write(info, lambda conn: once(info, conn, idempotency_key, "setCaseCategoryArchived",
                                                   {"code": code, "archived": archived}, work))
    except DomainError as e:
        return CaseCategoryPayload(errors=[UserError.of(e)])
    return await category_payload(info, done["code"])
