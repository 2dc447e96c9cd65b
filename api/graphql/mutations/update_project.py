from __future__ import annotations

import strawberry

from api.context import Info
from api.dataloaders.project_by_id import project_by_id
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.mutations.set_project_working_hours import ProjectPayload
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from api.graphql.types.project import Project
from domain.projects import service as projects
from domain.projects.commands import UpdateProject
from tenants.roles import Permission


@strawberry.input(description="What to change; a field left out (or null) stays as it is.")
class UpdateProjectInput:
    resident_rating: bool | None = strawberry.field(
        default=None, description="住户评价 Whether residents may rate their finished cases in the owner app.")


@strawberry.mutation(permission_classes=[Requires(Permission.PROJECT_UPDATE)], description="修改项目设置 Change a project's settings.")
@user_errors(ProjectPayload)
async def update_project(info: Info, project_id: strawberry.ID, input: UpdateProjectInput,
                         idempotency_key: IdempotencyKey = None) -> ProjectPayload:
    project = from_global_id(project_id, "Project", "projectId")
    await projects.update_project(UpdateProject(project, resident_rating=input.resident_rating, idempotency_key=idempotency_key),
                                  unit_of_work(info))
    [row] = await project_by_id(info.context.db, [project])  # not the request's loader: it may hold the old settings
    return ProjectPayload(project=Project.from_row(row) if row else None)
