from __future__ import annotations

from datetime import time

import strawberry

from api.context import Info
from api.dataloaders.project_by_id import project_by_id
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.project import Project
from domain.projects import service as projects
from domain.projects.commands import SetWorkingHours
from domain.projects.model import WorkingHours
from tenants.roles import Permission


@strawberry.type
class ProjectPayload:
    project: Project | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.PROJECT_UPDATE)],
                     description="工作时间 The hours working-hours SLA clocks count on each working day (Beijing time).")
@user_errors(ProjectPayload)
async def set_project_working_hours(info: Info, project_id: strawberry.ID, opens: time, closes: time,
                                    idempotency_key: IdempotencyKey = None) -> ProjectPayload:
    project = from_global_id(project_id, "Project", "projectId")
    uow = unit_of_work(info)
    uow.require(Permission.PROJECT_UPDATE, project)  # before the hours are checked (the service checks it again)
    await projects.set_working_hours(SetWorkingHours(project, WorkingHours(opens, closes), idempotency_key), uow)
    [row] = await project_by_id(info.context.db, [project])  # not the request's loader: it may hold the old hours
    return ProjectPayload(project=Project.from_row(row) if row else None)
