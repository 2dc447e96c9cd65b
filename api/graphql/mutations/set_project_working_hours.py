from __future__ import annotations

from datetime import time

import strawberry

from api.context import Info
from api.dataloaders.project_by_id import project_by_id
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.project import Project
from domain.errors import DomainError
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
async def set_project_working_hours(info: Info, project_id: strawberry.ID, opens: time, closes: time,
                                    idempotency_key: IdempotencyKey = None) -> ProjectPayload:
    try:
        project = from_global_id(project_id, "Project", "projectId")
        require_on(info, Permission.PROJECT_UPDATE, project)
        command = SetWorkingHours(project, WorkingHours(opens, closes))
        p = info.context.require()
        payload = {"projectId": project_id, "opens": opens.isoformat(), "closes": closes.isoformat()}
        await write(info, lambda conn: once(info, conn, idempotency_key, "setProjectWorkingHours", payload, lambda conn:
                                            projects.set_working_hours(conn, command, org_id=p.org_id, actor=p.actor)))
    except DomainError as e:
        return ProjectPayload(errors=[UserError.of(e)])
    [row] = await project_by_id(info.context.db, [project])  # not the request's loader: it may hold the old hours
    return ProjectPayload(project=Project.from_row(row) if row else None)
