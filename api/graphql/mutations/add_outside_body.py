from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._case_unit import IdempotencyKey
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.permissions import Requires
from api.graphql.types.errors import UserError
from api.graphql.types.node import from_global_id
from api.graphql.types.outside_body import OutsideBody, OutsideBodyDelivery, OutsideBodyKind, outside_body
from domain.referrals import service
from domain.referrals.commands import AddOutsideBody
from domain.referrals.model import BodyKind, BodySpec, DeliveryMethod
from tenants.roles import Permission


@strawberry.input(description="外部单位 An outside body: who it is and how a referral reaches it.")
class OutsideBodyInput:
    project_id: strawberry.ID
    kind: OutsideBodyKind
    name: str
    delivery: OutsideBodyDelivery
    webhook_url: str | None = strawberry.field(
        default=None, description="For delivery WEBHOOK: an https URL of a public address, checked again at every send.")
    email: str | None = strawberry.field(default=None, description="For delivery EMAIL.")
    contact_name: str | None = None
    contact_phone: str | None = None
    address: str | None = strawberry.field(default=None, description="Postal address; required for delivery LETTER.")
    feedback_days: int = strawberry.field(default=5, description="1–90 calendar days to answer a referral.")


@strawberry.type
class OutsideBodyPayload:
    body: OutsideBody | None = None
    secret: str | None = strawberry.field(default=None, description=(
        "The signing secret, shown this once: we sign what we send with it, and the body signs its answers with it."))
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.mutation(permission_classes=[Requires(Permission.OUTSIDE_BODY_MANAGE)],
                     description="添加外部单位 Register an outside body of a project.")
@user_errors(OutsideBodyPayload)
async def add_outside_body(info: Info, input: OutsideBodyInput, idempotency_key: IdempotencyKey = None) -> OutsideBodyPayload:
    spec = BodySpec(BodyKind(input.kind.value), input.name, DeliveryMethod(input.delivery.value), input.webhook_url,
                    input.email, input.contact_name, input.contact_phone, input.address, input.feedback_days)
    cmd = AddOutsideBody(project_id=from_global_id(input.project_id, "Project", "projectId"), spec=spec,
                         idempotency_key=idempotency_key)
    # Only a webhook body gets a secret now, shown in this answer only: a replayed key gets the body.
    platform = info.context.platform
    body_id, secret = await service.add_outside_body(cmd, unit_of_work(info), cipher=platform.cipher,
                                                     allow_loopback=platform.settings.allow_loopback_deliveries)
    return OutsideBodyPayload(body=await outside_body(info, body_id), secret=secret)
