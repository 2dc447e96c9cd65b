from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.mutations.create_inspection_checklist import InspectionChecklistPayload
from api.graphql.permissions import Requires
from api.graphql.types.inspection import checklist
from api.graphql.types.node import from_global_id
from domain.inspections import service
from domain.inspections.commands import SetInspectionChecklistActive
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.INSPECTION_MANAGE)],
                     description="启用/停用检查表 Switch a checklist on or off; inspections already made keep it.")
@user_errors(InspectionChecklistPayload)
async def set_inspection_checklist_active(info: Info, checklist_id: strawberry.ID, active: bool,
                                          idempotency_key: IdempotencyKey = None) -> InspectionChecklistPayload:
    cmd = SetInspectionChecklistActive(checklist_id=from_global_id(checklist_id, "InspectionChecklist", "checklistId"),
                                       active=active, idempotency_key=idempotency_key)
    return InspectionChecklistPayload(checklist=await checklist(info, await service.set_inspection_checklist_active(
        cmd, unit_of_work(info))))
