from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload, changing
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from domain.cases import service
from domain.cases.commands import CommitCase
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
    cmd = CommitCase(**changing(info, case_id, idempotency_key), due=due)
    return await case_payload(info, await service.commit_case(cmd, unit_of_work(info)))
