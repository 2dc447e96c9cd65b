from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.notification import unread_count
from domain.notifications import service
from domain.notifications.commands import MarkNotificationsRead
from domain.notifications.inbox import check_marking
from tenants.roles import Permission


@strawberry.type
class MarkNotificationsReadPayload:
    unread_count: int | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.ORG_READ)],
                     description="标为已读 Mark some or all of the caller's notifications read.")
@user_errors(MarkNotificationsReadPayload)
async def mark_notifications_read(info: Info, ids: list[strawberry.ID] | None = None, all: bool = False,
                                  idempotency_key: IdempotencyKey = None) -> MarkNotificationsReadPayload:
    p = info.context.require()
    owner = p.id if p.kind == "user" else None
    check_marking(owner, len(ids or []), all)  # before the ids are read, as the service checks again
    cmd = MarkNotificationsRead(owner, tuple(from_global_id(i, "Notification", "ids") for i in ids or []), all, idempotency_key)
    await service.mark_notifications_read(cmd, unit_of_work(info))
    return MarkNotificationsReadPayload(unread_count=await unread_count(info, p.id))
