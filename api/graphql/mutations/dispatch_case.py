from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import CasePayload, IdempotencyKey, case_payload, changing
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.cases import service
from domain.cases.commands import DispatchCase
from domain.errors import ErrorCode
from tenants.roles import Permission

OnDutyArgument = Annotated[bool, strawberry.argument(
    description="派给值班人员: the person on duty (in departmentId, or in the department the category belongs to first) "
                "with the fewest open cases. If nobody is on duty the case stays open and escalates.")]


@strawberry.mutation(permission_classes=[Requires(Permission.CASE_DISPATCH)],
                     description="派单 Send the case to a person, a department, or whoever is on duty.")
@user_errors(CasePayload)
async def dispatch_case(
    info: Info, case_id: strawberry.ID, assignee_id: strawberry.ID | None = None, department_id: strawberry.ID | None = None,
    on_duty: OnDutyArgument = False, idempotency_key: IdempotencyKey = None,
) -> CasePayload:
    cmd = DispatchCase(
        assignee_id=from_global_id(assignee_id, "User", "assigneeId") if assignee_id else None, assignee_ref=assignee_id,
        department_id=from_global_id(department_id, "Department", "departmentId") if department_id else None,
        department_ref=department_id, on_duty=on_duty, **changing(info, case_id, idempotency_key))
    dispatched = await service.dispatch_case(cmd, unit_of_work(info))
    result = await case_payload(info, dispatched.case_id)
    if on_duty and dispatched.on_duty is None and result.case is not None:
        result.errors.append(UserError(
            code=ErrorCode.NOBODY_ON_DUTY, field="onDuty",
            message="当前没有值班人员可接此工单。工单保持未结并已升级；请派单给指定人员或部门，或安排人员值班。"
                    "Nobody is on duty for this case right now. It stays open and has been escalated; "
                    "dispatch it to a named person or department, or put someone on the roster."))
    return result
