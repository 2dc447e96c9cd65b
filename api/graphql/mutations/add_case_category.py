from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.category import CaseCategoryInput, CaseCategoryPayload, category_payload
from domain.cases import taxonomy_service as service
from domain.cases.taxonomy_commands import AddCaseCategory
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CATEGORY_MANAGE)],
                     description="新增类别 Add a case category to the company's taxonomy; its code is what clients send.")
@user_errors(CaseCategoryPayload)
async def add_case_category(info: Info, code: str, input: CaseCategoryInput,
                            idempotency_key: IdempotencyKey = None) -> CaseCategoryPayload:
    cmd = AddCaseCategory(code=code, labels=input.labels(), idempotency_key=idempotency_key)
    return await category_payload(info, await service.add_case_category(cmd, unit_of_work(info)))
