from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.staff import service
from tenants.roles import Permission


@strawberry.type
class RevealPayload:
    value: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(
    permission_classes=[Requires(Permission.PERSONAL_DATA_READ)],
    description="显示号码 Show a staff member's full phone number. Recorded in the audit log.",
)
@user_errors(RevealPayload)
async def reveal_staff_phone(info: Info, staff_id: strawberry.ID) -> RevealPayload:
    sid = from_global_id(staff_id, "Staff", "staffId")
    value = await service.reveal_staff_phone(sid, unit_of_work(info), unseal=info.context.platform.cipher.decrypt)
    return RevealPayload(value=value)
