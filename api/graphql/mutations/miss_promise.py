from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.permissions import Requires
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_DISPATCH)],
                     description="致歉与补救 A commitment will be missed: apology, reason, remedy and a new deadline.")
@user_errors(CasePayload)
async def miss_promise(
    info: Info, case_id: strawberry.ID, apology: str, reason: str, remedy: str, new_due: datetime,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    return await change_case(
        info, case_id=case_id, permission=Permission.CASE_DISPATCH, operation="missPromise", idempotency_key=idempotency_key,
        payload={"apology": apology, "reason": reason, "remedy": remedy, "newDue": new_due},
        command=lambda case, actor, now: case.miss_promise(apology=apology, reason=reason, remedy=remedy, new_due=new_due,
                                                           actor=actor, now=now),
    )
