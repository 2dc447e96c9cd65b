from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._archive_payload import UnitPayload, kept
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.archive import UnitUseType, load_unit
from api.graphql.types.node import from_global_id
from domain.archive import service
from domain.archive.commands import UpdateUnit
from domain.archive.kinds import UnitUse
from tenants.roles import Permission


@strawberry.input(description="Fields left out keep their value; areaM2 given as null clears it, no other may be null.")
class UpdateUnitInput:
    entrance: str | None = strawberry.UNSET
    number: str | None = strawberry.UNSET
    floor: int | None = strawberry.UNSET
    area_m2: float | None = strawberry.UNSET
    use: UnitUseType | None = strawberry.UNSET
    vacant: bool | None = strawberry.UNSET


@strawberry.mutation(permission_classes=[Requires(Permission.ARCHIVE_MANAGE)], description="修改房屋 Edit a flat.")
@user_errors(UnitPayload)
async def update_unit(info: Info, unit_id: strawberry.ID, input: UpdateUnitInput,
                      idempotency_key: IdempotencyKey = None) -> UnitPayload:
    area = None if input.area_m2 is strawberry.UNSET else input.area_m2
    use = kept(input.use, "use")
    cmd = UpdateUnit(unit_id=from_global_id(unit_id, "Unit", "unitId"), entrance=kept(input.entrance, "entrance"),
                     number=kept(input.number, "number"), floor=kept(input.floor, "floor"), area_m2=area,
                     clear_area=input.area_m2 is None, use=UnitUse(use) if use else None, vacant=kept(input.vacant, "vacant"),
                     idempotency_key=idempotency_key)
    return UnitPayload(unit=await load_unit(info, await service.update_unit(cmd, unit_of_work(info))))
