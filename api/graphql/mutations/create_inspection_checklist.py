from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.inspection import InspectionChecklist, checklist
from domain.inspections import service
from domain.inspections.commands import CreateInspectionChecklist
from domain.inspections.model import ItemSpec
from tenants.roles import Permission


@strawberry.input(description="检查项 One item: what to check, how to judge it, and what it is worth.")
class InspectionItemInput:
    title: str
    max_points: int = strawberry.field(description="Whole points, 1 to 100.")
    guidance: str = ""
    department_kind: str | None = strawberry.field(default=None, description="customer_service, engineering, cleaning, security, "
                                                                               "greening, quality or admin.")


@strawberry.input
class InspectionChecklistInput:
    name: str
    items: list[InspectionItemInput]


@strawberry.type
class InspectionChecklistPayload:
    checklist: InspectionChecklist | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.INSPECTION_MANAGE)],
                     description="新建检查表 A checklist of the company, its items in order; items never change afterwards.")
@user_errors(InspectionChecklistPayload)
async def create_inspection_checklist(info: Info, input: InspectionChecklistInput,
                                      idempotency_key: IdempotencyKey = None) -> InspectionChecklistPayload:
    cmd = CreateInspectionChecklist(name=input.name, items=tuple(ItemSpec(i.title, i.max_points, i.guidance, i.department_kind)
                                                                 for i in input.items), idempotency_key=idempotency_key)
    checklist_id = await service.create_inspection_checklist(cmd, unit_of_work(info))
    return InspectionChecklistPayload(checklist=await checklist(info, checklist_id))
