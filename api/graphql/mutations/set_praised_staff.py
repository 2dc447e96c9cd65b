from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.cases import praise
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_FOLLOW_UP)],
                     description="受表扬员工 The staff a praise names, as the whole list it shall be (at most 20, each an active "
                                 "user with a role in the case's project; empty names no one). The people's figures of the "
                                 "case's month are recounted. The same people again change nothing.")
@user_errors(CasePayload)
async def set_praised_staff(info: Info, case_id: strawberry.ID, user_ids: list[strawberry.ID],
                            idempotency_key: IdempotencyKey = None) -> CasePayload:
    cmd = praise.SetPraisedStaff(case_id=from_global_id(case_id, "Case", "caseId"),
                                 user_ids=tuple(from_global_id(u, "User", "userIds") for u in user_ids),
                                 idempotency_key=idempotency_key)
    return await case_payload(info, await praise.set_praised_staff(cmd, unit_of_work(info)))
