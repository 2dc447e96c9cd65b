from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey, CasePayload, change_case
from api.graphql.mutations._errors import user_errors
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.errors import ErrorCode, invalid
from domain.roster import repository as roster
from domain.roster.model import OnDuty, propose
from tenants.roles import Permission

NOBODY = "无人值班 Nobody on duty"

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
    assignee = from_global_id(assignee_id, "User", "assigneeId") if assignee_id else None
    department = from_global_id(department_id, "Department", "departmentId") if department_id else None
    if on_duty and assignee:
        raise invalid("Name the person or ask for whoever is on duty, not both.", "onDuty")
    chosen: list[OnDuty] = []

    async def pick(conn, case, now) -> None:
        if not on_duty:
            return
        kind = await roster.department_kind_of_case(conn, case.id)
        candidates = propose(await roster.on_duty(conn, case.project_id, now), kind)
        chosen.extend(c for c in candidates if department in (None, c.department_id))

    def command(case, actor, now) -> None:
        if not on_duty:
            case.dispatch(assignee_id=assignee, department_id=department, actor=actor, now=now)
        elif chosen:
            case.dispatch(assignee_id=chosen[0].user_id, department_id=chosen[0].department_id, actor=actor, now=now)
        else:  # never a silent dead end: the attempt itself climbs the ladder
            case.report_undispatchable(NOBODY, actor=actor, now=now)

    result = await change_case(
        info, case_id=case_id, permission=Permission.CASE_DISPATCH, operation="dispatchCase", idempotency_key=idempotency_key,
        payload={"assigneeId": assignee_id, "departmentId": department_id, "onDuty": on_duty},
        command=command, before=pick,
    )
    if on_duty and not chosen and not result.errors and result.case is not None:
        result.errors.append(UserError(
            code=ErrorCode.NOBODY_ON_DUTY, field="onDuty",
            message="Nobody is on duty for this case right now. It stays open and has been escalated; "
                    "dispatch it to a named person or department, or put someone on the roster."))
    return result
