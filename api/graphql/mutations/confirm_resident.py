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
from domain.archive import service
from domain.archive.commands import ConfirmResident
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="核实住户 A person confirmed the record on a call or a visit (sets verifiedAt).")
@user_errors(ResidentPayload)
async def confirm_resident(info: Info, resident_id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> ResidentPayload:
    cmd = ConfirmResident(resident_id=from_global_id(resident_id, "Resident", "residentId"), idempotency_key=idempotency_key)
    return ResidentPayload(resident=await load_resident(info, await service.confirm_resident(cmd, unit_of_work(info))))
