from __future__ import annotations

from datetime import datetime, time
from enum import Enum
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry

from api.context import Info
from api.graphql.types.node import Node, to_global_id
from api.graphql.types.staff import Staff
from domain.reads import Row
from domain.roster.members import project_members
from domain.directory.rules import PROPERTY_TYPES
from tenants.roles import Permission

if TYPE_CHECKING:
    from api.graphql.types.viewer import User


@strawberry.enum(description="物业类型 Property type")
class PropertyType(Enum):
    RESIDENTIAL = "residential"
    OFFICE = "office"
    COMMERCIAL = "commercial"
    VILLA = "villa"
    CBD = "cbd"
    INDUSTRIAL = "industrial"
    MIXED = "mixed"


@strawberry.type(description="部门 Department of a project")
class Department(Node):
    kind: str
    name: str

    @classmethod
    def from_row(cls, row: Row) -> Department:
        return cls(id=to_global_id("Department", row.id), kind=row.kind, name=row.name)


@strawberry.type(description="物业项目 A managed property: the unit of isolation")
class Project(Node):
    project_id: strawberry.Private[UUID]
    code: str
    name: str
    property_type: PropertyType
    city: str
    address: str
    households: int
    created_at: datetime
    work_opens: time = strawberry.field(description="工作时间 When working-hours SLA clocks start each working day (Beijing time).")
    work_closes: time
    provisioned_at: datetime | None = strawberry.field(
        description="Set once the worker has completed provisioning; null while it runs."
    )
    resident_rating: bool = strawberry.field(
        description="住户评价 Residents may rate their finished cases in the owner app (residentRateCase); off: staff "
                    "make every return visit."
    )

    @strawberry.field(description="Chinese label first, English beside.")
    def property_type_label(self) -> str:
        return PROPERTY_TYPES[self.property_type.value]

    @strawberry.field
    async def departments(self, info: Info) -> list[Department]:
        rows = await info.context.loaders.departments_by_project.load(self.project_id)
        return [Department.from_row(r) for r in rows]

    @strawberry.field(description="员工 The project's staff, by department.")
    async def staff(self, info: Info) -> list[Staff]:
        info.context.require(Permission.STAFF_READ)
        return [Staff.from_row(r) for r in await info.context.loaders.staff_by_project.load(self.project_id)]

    @strawberry.field(description="成员 Active logins with a role in this project, by name: whom its duty roster can take.")
    async def members(self, info: Info) -> list[Annotated["User", strawberry.lazy("api.graphql.types.viewer")]]:
        from api.graphql.types.viewer import User  # viewer imports this module

        info.context.require(Permission.STAFF_READ)
        return [User.from_row(r) for r in await project_members(info.context.db, self.project_id)]

    @classmethod
    def from_row(cls, row: Row) -> Project:
        return cls(
            id=to_global_id("Project", row.id),
            project_id=row.id,
            code=row.code,
            name=row.name,
            property_type=PropertyType(row.property_type),
            city=row.city,
            address=row.address,
            households=row.households,
            created_at=row.created_at,
            provisioned_at=row.provisioned_at,
            work_opens=row.work_opens,
            work_closes=row.work_closes,
            resident_rating=row.resident_rating,
        )
