from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import once, require_on, write
from api.graphql.mutations.create_inspection_checklist import InspectionChecklistPayload
from api.graphql.permissions import Requires
from api.graphql.types.inspection import checklist
from api.graphql.types.node import from_global_id
from domain.inspections.repository import set_checklist_active
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.INSPECTION_MANAGE)],
                     description="启用/停用检查表 Switch a checklist on or off; inspections already made keep it.")
@user_errors(InspectionChecklistPayload)
async def set_inspection_checklist_active(info: Info, checklist_id: strawberry.ID, active: bool,
                                          idempotency_key: IdempotencyKey = None) -> InspectionChecklistPayload:
    require_on(info, Permission.INSPECTION_MANAGE, None)
    p = info.context.require()
    cid = from_global_id(checklist_id, "InspectionChecklist", "checklistId")

    async def work(conn) -> dict:
        await set_checklist_active(conn, p.org_id, cid, active, p.actor)
        return {"id": str(cid)}

    await write(info, lambda conn: once(info, conn, idempotency_key, "setInspectionChecklistActive",
                                        {"checklistId": checklist_id, "active": active}, work))
    return InspectionChecklistPayload(checklist=await checklist(info, cid))
