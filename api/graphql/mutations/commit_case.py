from __future__ import annotations

from datetime import datetime

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.permissions import Requires
from domain.cases.defaults import DEFAULT_COMMITMENT
from tenants.roles import Permission


@strawberry.mutation(
    permission_classes=[Requires(Permission.CASE_COMMIT)],
    description="承诺 Promise the resident a deadline. Empty: the default for the severity; later than it needs a supervisor.",
)
async def commit_case(
    info: Info, case_id: strawberry.ID, due: datetime | None = None,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    def command(case, actor, now):
        default_due = case.received_at + DEFAULT_COMMITMENT[case.severity]
        case.commit(due or max(default_due, now), default_due=max(default_due, now), actor=actor, now=now)

    return await change_case(info, case_id=case_id, permission=Permission.CASE_COMMIT, operation="commitCase",
                             idempotency_key=idempotency_key, payload={"due": due}, command=command)
