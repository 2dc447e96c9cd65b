from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.notices import resident_service
from tenants.roles import Permission


@strawberry.type
class ResidentMarkNoticeReadPayload:
    ok: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.RESIDENT_SELF)],
                     description="已读 The resident has read a notice; again changes nothing.")
@user_errors(ResidentMarkNoticeReadPayload)
async def resident_mark_notice_read(info: Info, notice_id: strawberry.ID,
                                    idempotency_key: IdempotencyKey = None) -> ResidentMarkNoticeReadPayload:
    await resident_service.mark_read(from_global_id(notice_id, "Notice", "noticeId"), unit_of_work(info), idempotency_key)
    return ResidentMarkNoticeReadPayload(ok=True)
