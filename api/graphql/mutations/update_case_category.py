from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.category import CaseCategoryInput, CaseCategoryPayload, category_payload
from domain.cases import taxonomy_service as service
from domain.cases.taxonomy_commands import UpdateCaseCategory
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CATEGORY_MANAGE)],
                     description="修改类别 Rename a category, or change its kinds or place; the code stays, and so do its cases.")
@user_errors(CaseCategoryPayload)
async def update_case_category(info: Info, code: str, input: CaseCategoryInput,
                               idempotency_key: IdempotencyKey = None) -> CaseCategoryPayload:
    cmd = UpdateCaseCategory(code=code, labels=input.labels(), idempotency_key=idempotency_key)
    return await category_payload(info, await service.update_case_category(cmd, unit_of_work(info)))
