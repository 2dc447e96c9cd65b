from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.dead_letter import DeadLetter, dead_letter
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from domain.notifications import service
from domain.notifications.commands import RetryDeadLetter
from tenants.roles import Permission


@strawberry.type
class RetryDeadLetterPayload:
    dead_letter: DeadLetter | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.EVENTS_MANAGE)],
                     description="重新投递 Publish the event again; consumers that already handled it skip it.")
@user_errors(RetryDeadLetterPayload)
async def retry_dead_letter(info: Info, id: strawberry.ID, idempotency_key: IdempotencyKey = None) -> RetryDeadLetterPayload:
    uow = unit_of_work(info)
    uow.require(Permission.EVENTS_MANAGE)  # company-wide, before the id is read (the service checks it again)
    cmd = RetryDeadLetter(dead_letter_id=from_global_id(id, "DeadLetter", "id"), idempotency_key=idempotency_key)
    return RetryDeadLetterPayload(dead_letter=await dead_letter(info, await service.retry_dead_letter(cmd, uow)))
