from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._archive_payload import ResidentPayload
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from api.graphql.types.resident import load_resident
from domain.archive import erase_service
from tenants.roles import Permission


@strawberry.mutation(
    permission_classes=[Requires(Permission.PERSONAL_DATA_ERASE)],
    description="删除个人信息 Erase a resident's personal data on their request (PIPL), with a reason (2–200 "
                "characters): name → 已删除住户, phone and ID number gone, contacts, vehicles and pets deleted, every "
                "copy of the name or phone in their cases rewritten to ***. Cases and stays stay, anonymised. Needs "
                "personal_data:erase on their project; erasing again answers the same.",
)
@user_errors(ResidentPayload)
async def erase_resident(info: Info, resident_id: strawberry.ID, reason: str,
                         idempotency_key: IdempotencyKey = None) -> ResidentPayload:
    cmd = erase_service.EraseResident(resident_id=from_global_id(resident_id, "Resident", "residentId"), reason=reason,
                                      idempotency_key=idempotency_key)
    erased = await erase_service.erase_resident(cmd, unit_of_work(info), unseal=info.context.platform.cipher.decrypt)
    return ResidentPayload(resident=await load_resident(info, erased))
