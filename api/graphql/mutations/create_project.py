from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.project import Project, PropertyType
from domain.directory import service
from domain.directory.commands import CreateProject
from domain.directory.rules import ProjectInput
from tenants.roles import Permission


@strawberry.input
class CreateProjectInput:
    code: str = strawberry.field(description="Short code, e.g. XH; used in case numbers.")
    name: str
    property_type: PropertyType
    city: str = ""
    address: str = ""
    households: int = 0


@strawberry.type
class CreateProjectPayload:
    project: Project | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.PROJECT_CREATE)], description="新建项目 Create a project.")
@user_errors(CreateProjectPayload)
async def create_project(info: Info, input: CreateProjectInput, idempotency_key: IdempotencyKey = None) -> CreateProjectPayload:
    cmd = CreateProject(ProjectInput(
        code=input.code, name=input.name, property_type=input.property_type.value,
        city=input.city, address=input.address, households=input.households,
    ), idempotency_key=idempotency_key)
    project_id = await service.create_project(cmd, unit_of_work(info))
    row = await info.context.loaders.project_by_id.load(project_id)
    return CreateProjectPayload(project=Project.from_row(row))
