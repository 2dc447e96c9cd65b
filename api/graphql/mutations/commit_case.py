from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.permissions import Requires
from domain.sla.repository import SlaRecorder
from tenants.roles import Permission


@strawberry.mutation(
    permission_classes=[Requires(Permission.CASE_COMMIT)],
    description="承诺 Promise the resident a deadline. Empty: the resolution deadline of the case's SLA policy "
                "(kind × severity, the project's override, its clock and calendar).",
)
@user_errors(CasePayload)
async def commit_case(
    info: Info, case_id: strawberry.ID,
    due: Annotated[datetime | None, strawberry.argument(
        description="The promise. Up to the policy's resolution deadline: anyone who may commit; later (loosening "
                    "it): a customer-service supervisor or above.")] = None,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    policy: dict[str, datetime] = {}

    async def read_policy(conn, case, now):
        policy["due"] = await SlaRecorder(conn).policy_deadline(case)

    def command(case, actor, now):
        case.commit(due, default_due=policy["due"], actor=actor, now=now)

    return await change_case(info, case_id=case_id, permission=Permission.CASE_COMMIT, operation="commitCase",
                             idempotency_key=idempotency_key, payload={"due": due}, command=command, before=read_policy)
