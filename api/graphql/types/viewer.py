from __future__ import annotations

from enum import Enum
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.permission import PermissionType, as_enum
from api.graphql.types.project import Project
from domain.reads import Row
from tenants.principal import Principal
from tenants.roles import ROLE_LABELS, ROLE_PERMISSIONS, Role as RoleValue


Role = strawberry.enum(RoleValue, name="Role", description="岗位角色 Role")


@strawberry.enum
class ViewerKind(Enum):
    USER = "user"
    API_KEY = "api_key"
    RESIDENT = "resident"


@strawberry.type(description="A role held company-wide (project null) or in one project.")
class RoleGrant:
    role: Role
    project_id: strawberry.Private[UUID | None]
    assignment_id: strawberry.ID | None = strawberry.field(default=None, description="For revokeRole; null in a token's own grants.")

    @strawberry.field
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @strawberry.field(description="What the role allows: in its project, or company-wide when project is null. "
                                  "A client offers an action on a project when one of the viewer's grants there allows it.")
    def permissions(self) -> list[PermissionType]:
        return as_enum(ROLE_PERMISSIONS[self.role])

    @strawberry.field
    async def project(self, info: Info) -> Project | None:
        if self.project_id is None:
            return None
        row = await info.context.loaders.project_by_id.load(self.project_id)
        return Project.from_row(row) if row else None


@strawberry.type(description="用户 A person who logs in")
class User(Node):
    user_id: strawberry.Private[UUID]
    username: str
    display_name: str
    active: bool

    @strawberry.field(description="Roles visible to the caller: company-wide ones only to company-wide callers.")
    async def roles(self, info: Info) -> list[RoleGrant]:
        rows = await info.context.loaders.grants_by_user.load(self.user_id)
        return [RoleGrant(assignment_id=to_global_id("RoleAssignment", r.id), role=Role(r.role), project_id=r.project_id) for r in rows]

    @classmethod
    def from_row(cls, row: Row) -> User:
        return cls(id=to_global_id("User", row.id), user_id=row.id, username=row.username, display_name=row.display_name, active=row.active)


@strawberry.type(description="What the caller may do in one project beyond what it may do everywhere.")
class ProjectPermissions:
    project_id: strawberry.Private[UUID]
    permissions: list[PermissionType] = strawberry.field(
        description="Everything the caller may do in this project: the company-wide permissions and those of its roles here.")

    @strawberry.field
    async def project(self, info: Info) -> Project | None:
        row = await info.context.loaders.project_by_id.load(self.project_id)
        return Project.from_row(row) if row else None


@strawberry.type(description="The caller: a user, an integrator key or a resident (owner apps).")
class Viewer:
    kind: ViewerKind
    user: User | None
    roles: list[RoleGrant]
    permissions: list[PermissionType] = strawberry.field(
        description="What the caller may do in every project of the company (and company-wide); per project, more may "
                    "be held: see projectPermissions.")
    project_permissions: list[ProjectPermissions] = strawberry.field(
        description="The projects where the caller may do more than `permissions` says — a project role, or an API key "
                    "limited to some projects — each with everything it may do there.")
    all_projects: bool = strawberry.field(description="Whether every project of the company is visible.")

    @classmethod
    def of(cls, p: Principal, user: User | None) -> Viewer:
        everywhere = p.permissions()
        projects = p.key_projects if p.kind in ("api_key", "resident") else {g.project_id for g in p.grants if g.project_id is not None}
        per_project = [ProjectPermissions(project_id=pid, permissions=as_enum(p.permissions(pid)))
                       for pid in sorted(projects or (), key=str) if p.permissions(pid) != everywhere]
        return cls(kind=ViewerKind(p.kind), user=user,
                   roles=[RoleGrant(assignment_id=None, role=g.role, project_id=g.project_id) for g in p.grants],
                   permissions=as_enum(everywhere), project_permissions=per_project, all_projects=p.projects is None)
