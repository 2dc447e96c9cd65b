from __future__ import annotations

from enum import Enum
from uuid import UUID

import strawberry
from sqlalchemy import Row

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.project import Project
from tenants.roles import ROLE_LABELS, Role as RoleValue


@strawberry.enum(description="岗位角色 Role")
class Role(Enum):
    ORG_ADMIN = "org_admin"
    HQ_SUPERVISOR = "hq_supervisor"
    HQ_QUALITY = "hq_quality"
    PROJECT_MANAGER = "project_manager"
    CS_SUPERVISOR = "cs_supervisor"
    CS_AGENT = "cs_agent"
    DISPATCHER = "dispatcher"
    TECHNICIAN = "technician"
    STAFF = "staff"


@strawberry.enum
class ViewerKind(Enum):
    USER = "user"
    API_KEY = "api_key"


@strawberry.type(description="A role held company-wide (project null) or in one project.")
class RoleGrant:
    role: Role
    project_id: strawberry.Private[UUID | None]

    @strawberry.field
    def role_label(self) -> str:
        return ROLE_LABELS[RoleValue(self.role.value)]

    @strawberry.field
    async def project(self, info: Info) -> Project | None:
        if self.project_id is None:
            return None
        row = await info.context.loaders.project_by_id.load(self.project_id)
        return Project.from_row(row) if row else None


@strawberry.type(description="用户 A person who logs in")
class User(Node):
    username: str
    display_name: str
    active: bool

    @classmethod
    def from_row(cls, row: Row) -> User:
        return cls(id=to_global_id("User", row.id), username=row.username, display_name=row.display_name, active=row.active)


@strawberry.type(description="The caller: a user or an integrator key.")
class Viewer:
    kind: ViewerKind
    user: User | None
    roles: list[RoleGrant]
    permissions: list[str] = strawberry.field(description="Permissions held company-wide.")
    all_projects: bool = strawberry.field(description="Whether every project of the company is visible.")
