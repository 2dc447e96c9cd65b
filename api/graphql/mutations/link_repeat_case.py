from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.mutations._errors import user_errors
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from domain.cases.repository import CaseRepository
from domain.errors import not_found
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_COMMIT)],
                     description="重复诉求 The same demand without new facts: link it to the earlier case of the same project.")
@user_errors(CasePayload)
async def link_repeat_case(
    info: Info, case_id: strawberry.ID, earlier_case_id: strawberry.ID,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    earlier = from_global_id(earlier_case_id, "Case", "earlierCaseId")

    found: list = []

    async def find_earlier(conn, case, now) -> None:
        project = await CaseRepository(conn).project_of(earlier)
        if project is None:
            raise not_found("The earlier case", "earlierCaseId")
        found.append(project)

    return await change_case(
        info, case_id=case_id, permission=Permission.CASE_COMMIT, operation="linkRepeatCase", idempotency_key=idempotency_key,
        payload={"earlierCaseId": earlier_case_id}, before=find_earlier,
        command=lambda case, actor, now: case.link_repeat(earlier, found[0], actor=actor, now=now),
    )
