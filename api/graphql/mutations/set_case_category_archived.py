from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.category import CaseCategoryPayload, category_payload
from domain.cases import taxonomy_service as service
from domain.cases.taxonomy_commands import SetCaseCategoryArchived
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CATEGORY_MANAGE)],
                     description="停用/启用类别 Archive a category (new cases refuse it with CATEGORY_ARCHIVED; its cases keep it "
                                 "and stay readable) or bring it back.")
@user_errors(CaseCategoryPayload)
async def set_case_category_archived(info: Info, code: str, archived: bool,
                                     idempotency_key: IdempotencyKey = None) -> CaseCategoryPayload:
    cmd = SetCaseCategoryArchived(code=code, archived=archived, idempotency_key=idempotency_key)
    return await category_payload(info, await service.set_case_category_archived(cmd, unit_of_work(info)))
