from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._archive_payload import ResidentPayload, kept
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from api.graphql.types.resident import IdKindType, ResidentKindType, load_resident
from domain.archive import service
from domain.archive.commands import UpdateResident
from domain.archive.kinds import IdKind, ResidentKind
from tenants.roles import Permission


@strawberry.input(description="Fields left out keep their value; phone or idNumber given as \"\" removes it; "
                                "name, kind and note may not be null.")
class UpdateResidentInput:
    name: str | None = strawberry.UNSET
    kind: ResidentKindType | None = strawberry.UNSET
    phone: str | None = None
    id_kind: IdKindType | None = None
    id_number: str | None = None
    note: str | None = strawberry.UNSET


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)],
                     description="修改住户 Edit a resident; a changed phone or ID number is re-encrypted. Counts as 核实 (verifiedAt).")
@user_errors(ResidentPayload)
async def update_resident(info: Info, resident_id: strawberry.ID, input: UpdateResidentInput,
                          idempotency_key: IdempotencyKey = None) -> ResidentPayload:
    kind = kept(input.kind, "kind")
    cmd = UpdateResident(resident_id=from_global_id(resident_id, "Resident", "residentId"), name=kept(input.name, "name"),
                         kind=ResidentKind(kind) if kind else None, phone=input.phone,
                         id_kind=IdKind(input.id_kind) if input.id_kind else None, id_number=input.id_number,
                         note=kept(input.note, "note"), idempotency_key=idempotency_key)
    done = await service.update_resident(cmd, unit_of_work(info), cipher=info.context.platform.cipher)
    return ResidentPayload(resident=await load_resident(info, done))
