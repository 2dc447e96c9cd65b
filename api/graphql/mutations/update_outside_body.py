from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.mutations.add_outside_body import OutsideBodyPayload
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from api.graphql.types.outside_body import OutsideBodyDelivery, outside_body
from domain.referrals import service
from domain.referrals.commands import UpdateOutsideBody
from domain.referrals.model import BodyChanges, DeliveryMethod
from tenants.roles import Permission


@strawberry.input(description="What changes; a field left out keeps its value. Open referrals keep their due time.")
class OutsideBodyChanges:
    contact_name: str | None = None
    contact_phone: str | None = None
    address: str | None = None
    delivery: OutsideBodyDelivery | None = None
    webhook_url: str | None = None
    email: str | None = None
    feedback_days: int | None = None
    active: bool | None = None


@strawberry.mutation(permission_classes=[Requires(Permission.OUTSIDE_BODY_MANAGE)],
                     description="修改外部单位 Change a body's contacts, delivery, feedback days, or switch it on or off.")
@user_errors(OutsideBodyPayload)
async def update_outside_body(info: Info, body_id: strawberry.ID, changes: OutsideBodyChanges,
                              idempotency_key: IdempotencyKey = None) -> OutsideBodyPayload:
    cmd = UpdateOutsideBody(body_id=from_global_id(body_id, "OutsideBody", "bodyId"), idempotency_key=idempotency_key,
                            changes=BodyChanges(
                                changes.contact_name, changes.contact_phone, changes.address,
                                DeliveryMethod(changes.delivery.value) if changes.delivery else None,
                                changes.webhook_url, changes.email, changes.feedback_days, changes.active))
    platform = info.context.platform
    # A body newly reached by webhook gets a secret, shown in this answer only.
    done, secret = await service.update_outside_body(cmd, unit_of_work(info), cipher=platform.cipher,
                                                     allow_loopback=platform.settings.allow_loopback_deliveries)
    return OutsideBodyPayload(body=await outside_body(info, done), secret=secret)
