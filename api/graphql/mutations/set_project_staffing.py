from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.reach import required_project_in_reach
from api.graphql.types.errors import UserError
from api.graphql.types.fee_scalars import Fen
from api.graphql.types.node import from_global_id
from api.graphql.types.people import ProjectCosts
from domain.kpi import people_read, staffing
from tenants.roles import Permission


@strawberry.type
class ProjectStaffingPayload:
    costs: ProjectCosts | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.KPI_STAFFING)],
                     description="人员与成本 Enter a project's headcount and costs for a month (its first day); entered "
                                 "again, the month's figures are replaced.")
@user_errors(ProjectStaffingPayload)
async def set_project_staffing(info: Info, project_id: strawberry.ID, month: date, headcount: int,
                               labour_cost_fen: Fen, other_cost_fen: Fen,  # type: ignore[valid-type]
                               idempotency_key: IdempotencyKey = None) -> ProjectStaffingPayload:
    cmd = staffing.SetProjectStaffing(project_id=from_global_id(project_id, "Project", "projectId"), month=month,
                                      headcount=headcount, labour_cost_fen=labour_cost_fen, other_cost_fen=other_cost_fen,
                                      idempotency_key=idempotency_key)
    await staffing.set_project_staffing(cmd, unit_of_work(info))
    row = await people_read.costs(info.context.db, await required_project_in_reach(info, project_id), month)
    return ProjectStaffingPayload(costs=ProjectCosts.of(month, row) if row else None)
