from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload, changing
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.cases import service
from domain.cases.commands import LinkRepeatCase
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_COMMIT)],
                     description="重复诉求 The same demand without new facts: link it to the earlier case of the same project.")
@user_errors(CasePayload)
async def link_repeat_case(
    info: Info, case_id: strawberry.ID, earlier_case_id: strawberry.ID,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    earlier = from_global_id(earlier_case_id, "Case", "earlierCaseId")
    cmd = LinkRepeatCase(**changing(info, case_id, idempotency_key), earlier_case_id=earlier, earlier_case_ref=earlier_case_id)
    return await case_payload(info, await service.link_repeat_case(cmd, unit_of_work(info)))
