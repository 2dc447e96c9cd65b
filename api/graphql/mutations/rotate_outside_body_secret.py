from __future__ import annotations

import strawberry

from api.context import Info
from api.graphql.mutations._errors import user_errors
from api.graphql.mutations._unit import unit_of_work
from api.graphql.mutations.add_outside_body import OutsideBodyPayload
from api.graphql.permissions import Requires
from api.graphql.types.node import from_global_id
from api.graphql.types.outside_body import outside_body
from domain.referrals import service
from domain.referrals.commands import RotateOutsideBodySecret
from tenants.roles import Permission


@strawberry.mutation(permission_classes=[Requires(Permission.OUTSIDE_BODY_MANAGE)], description=(
    "更换密钥 A new signing secret for a body, shown this once; the old one stops working at once. "
    "No idempotency key: a retry makes another secret, and the last one shown is the one in force."))
@user_errors(OutsideBodyPayload)
async def rotate_outside_body_secret(info: Info, body_id: strawberry.ID) -> OutsideBodyPayload:
    cmd = RotateOutsideBodySecret(body_id=from_global_id(body_id, "OutsideBody", "bodyId"))
    done, secret = await service.rotate_outside_body_secret(cmd, unit_of_work(info), cipher=info.context.platform.cipher)
    return OutsideBodyPayload(body=await outside_body(info, done), secret=secret)
