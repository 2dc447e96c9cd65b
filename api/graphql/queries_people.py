"""Root query fields of the people's figures (量化考核, docs/centre-day.md §7), joined into
`Query`. A project of another company or out of reach is NOT_FOUND."""

from __future__ import annotations

from datetime import date

import strawberry

from api.context import Info
from api.graphql.permissions import Requires
from api.graphql.reach import required_project_in_reach
from api.graphql.types.people import DepartmentFigures, PersonFigures, ProjectCosts
from domain.errors import not_found
from domain.kpi import people_read
from domain.kpi.month import month_period
from tenants.roles import Permission


@strawberry.type
class PeopleQueries:
    @strawberry.field(permission_classes=[Requires(Permission.STAFF_READ)],
                      description="个人考核 A project's month per person: the cases received that Beijing month (this "
                                  "one by default) each person took, handled or visited, most handled first.")
    async def people_figures(self, info: Info, project_id: strawberry.ID, month: date | None = None) -> list[PersonFigures]:
        project = await required_project_in_reach(info, project_id)
        first, _ = month_period(month)
        return [PersonFigures.of(r) for r in await people_read.people(info.context.db, project, first)]

    @strawberry.field(permission_classes=[Requires(Permission.STAFF_READ)],
                      description="部门考核 A project's month per department: the sums of its handlers' figures over the "
                                  "cases registered to it.")
    async def department_figures(self, info: Info, project_id: strawberry.ID, month: date | None = None) -> list[DepartmentFigures]:
        project = await required_project_in_reach(info, project_id)
        first, _ = month_period(month)
        return [DepartmentFigures.of(r) for r in await people_read.departments(info.context.db, project, first)]

    @strawberry.field(permission_classes=[Requires(Permission.STAFF_READ)],
                      description="人员与成本 A project's month of headcount and costs, with the cost per household and "
                                  "the households per head.")
    async def project_costs(self, info: Info, project_id: strawberry.ID, month: date | None = None) -> ProjectCosts:
        project = await required_project_in_reach(info, project_id)
        first, _ = month_period(month)
        row = await people_read.costs(info.context.db, project, first)
        if row is None:
            raise not_found("The project", "projectId", zh="项目")
        return ProjectCosts.of(first, row)
