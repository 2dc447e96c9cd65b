from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.errors import DomainError
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_DISPATCH)],
                     description="派单 Send the case to a person or a department.")
async def dispatch_case(
    info: Info, case_id: strawberry.ID, assignee_id: strawberry.ID | None = None, department_id: strawberry.ID | None = None,
    idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    try:
        assignee = from_global_id(assignee_id, "User", "assigneeId") if assignee_id else None
        department = from_global_id(department_id, "Department", "departmentId") if department_id else None
    except DomainError as e:
        return CasePayload(errors=[UserError.of(e)])
    return await change_case(
        info, case_id=case_id, permission=Permission.CASE_DISPATCH, operation="dispatchCase", idempotency_key=idempotency_key,
        payload={"assigneeId": assignee_id, "departmentId": department_id},
        command=lambda case, actor, now: case.dispatch(assignee_id=assignee, department_id=department, actor=actor, now=now),
    )
